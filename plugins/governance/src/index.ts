export type { AnswerPrice } from './admission/price-answer.js';
export type {
  Admission,
  CounterCheck,
  Counters,
  CounterUsage,
  FailMode,
  MaybePromise,
  Reservation,
} from './counters/counters.js';
export { CountersUnavailableError } from './counters/counters.js';
export type { MemoryCountersOptions } from './counters/memory-counters.js';
export { MemoryCounters } from './counters/memory-counters.js';
export type { RedisCountersOptions } from './counters/redis-counters.js';
export { RedisCounters } from './counters/redis-counters.js';
export type { GovernancePluginContext } from './create-governance-plugin.js';
export { governancePlugin } from './create-governance-plugin.js';
export type { AccessDecision, AccessRefusal } from './decisions/check-access.js';
export type { GovernanceDecision, LimitDecision } from './decisions/governance-error.js';
export type { ResetDuration, ResetDurationUnit } from './durations/parse-reset-duration.js';
export { InvalidResetDurationError, parseResetDuration } from './durations/parse-reset-duration.js';
export type { CounterWindow, WindowMode } from './durations/reset-window.js';
export { nextReset, retryAfterSeconds, windowEnd, windowStart } from './durations/reset-window.js';
export type { GovernancePluginParts } from './governance-plugin.js';
export { GovernancePlugin } from './governance-plugin.js';
export type { GovernancePluginOptions } from './governance-plugin-options.js';
export { InvalidGovernanceConfigError, parseGovernancePluginOptions } from './governance-plugin-options.js';
export type { CostExtras } from './pricing/compute-cost-from-prices.js';
export { computeCostFromPrices } from './pricing/compute-cost-from-prices.js';
export type {
  CostBreakdown,
  CostResult,
  ModelPrices,
  PricedCost,
  PriceSource,
  UnpricedCost,
} from './pricing/model-prices.js';
export { MODEL_PRICE_FIELDS } from './pricing/model-prices.js';
export type { PricingCatalogOptions, ResolvedPrices } from './pricing/pricing-catalog.js';
export { PricingCatalog } from './pricing/pricing-catalog.js';
export type { DatasheetReaders, PricingDatasheet } from './pricing/pricing-datasheet.js';
export { loadPricingDatasheet, parsePricingDatasheet } from './pricing/pricing-datasheet.js';
export { InvalidPricingError } from './pricing/pricing-error.js';
export type { ParsedPricingOverrides, PricingOverrides } from './pricing/pricing-overrides.js';
export { parsePricingOverrides } from './pricing/pricing-overrides.js';
export type { PricingSheetSyncOptions, SheetRefresh, SyncTimer } from './pricing/pricing-sheet-sync.js';
export { PricingSheetSync } from './pricing/pricing-sheet-sync.js';

import { governancePlugin } from './create-governance-plugin.js';

/** The factory the gateway's config loading imports: `(config, context) => Promise<Plugin>`. */
export default governancePlugin;
