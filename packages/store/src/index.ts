export type { Budget, BudgetPatch, NewBudget } from './budget-store.js';
export { BudgetStore } from './budget-store.js';
export type { Customer, CustomerPatch, NewCustomer } from './customer-store.js';
export { CustomerStore } from './customer-store.js';
export type { Database, ModelList, VirtualKeyMcpConfig } from './database.js';
export type { Page, PageOptions } from './keyset-page.js';
export { maxPageLimit } from './keyset-page.js';
export { migrationTableName } from './migrate.js';
export { migrations } from './migrations/index.js';
export type { ModelConfig, ModelConfigPatch, NewModelConfig } from './model-config-store.js';
export { ModelConfigStore } from './model-config-store.js';
export type { OffsetSearchOptions, OffsetSearchResult } from './offset-search.js';
export type {
  CommonStoreOptions,
  EmbeddedStoreOptions,
  PostgresStoreOptions,
  StoreOptions,
} from './open-store.js';
export { openStore, openStoreOverPGlite } from './open-store.js';
export { PGliteDialect } from './pglite-dialect.js';
export type { NewPricingOverride, PricingOverride, PricingOverridePatch } from './pricing-override-store.js';
export { PricingOverrideStore } from './pricing-override-store.js';
export type {
  NewProvider,
  NewProviderKey,
  Provider,
  ProviderKey,
  ProviderKeyPatch,
  ProviderPatch,
  ProviderSettings,
} from './provider-store.js';
export { ProviderStore } from './provider-store.js';
export type { NewRateLimit, RateLimit, RateLimitPatch } from './rate-limit-store.js';
export { RateLimitStore } from './rate-limit-store.js';
export type { NewRequestLog, RequestLog, RequestLogListOptions } from './request-log-store.js';
export { RequestLogStore } from './request-log-store.js';
export { SettingsStore } from './settings-store.js';
export type { StoreBackend, StoreHealth } from './store.js';
export { Store } from './store.js';
export type { StoreErrorCode, StoreErrorOptions } from './store-error.js';
export { StoreConflictError, StoreError, StoreUnavailableError, storeErrorCodes } from './store-error.js';
export type { NewTeam, Team, TeamListOptions, TeamPatch } from './team-store.js';
export { TeamStore } from './team-store.js';
export type { BudgetUsageDelta, RateLimitUsageDelta, UsageDeltaResult, UsageDeltas } from './usage-deltas.js';
export type {
  NewVirtualKeyProviderConfig,
  VirtualKeyProviderConfig,
  VirtualKeyProviderConfigPatch,
} from './virtual-key-provider-config-store.js';
export { VirtualKeyProviderConfigStore } from './virtual-key-provider-config-store.js';
export type {
  NewVirtualKey,
  VirtualKey,
  VirtualKeyListOptions,
  VirtualKeyPatch,
} from './virtual-key-store.js';
export { VirtualKeyStore } from './virtual-key-store.js';
