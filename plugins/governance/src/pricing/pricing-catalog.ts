import type { Usage } from '@bifrost/schemas';
import { type CostExtras, computeCostFromPrices, hasAnyPrice } from './compute-cost-from-prices.js';
import { lookupDatasetPrices } from './dataset-prices.js';
import type { CostResult, ModelPrices, PriceSource } from './model-prices.js';
import type { PricingDatasheet } from './pricing-datasheet.js';
import { type ParsedPricingOverrides, parsePricingOverrides } from './pricing-overrides.js';
import { modelNameCandidates, splitProviderPrefix } from './resolve-model-name.js';

/** Options for {@link PricingCatalog}. */
export interface PricingCatalogOptions {
  /** Per-model prices from config; validated here. See {@link PricingOverrides}. */
  overrides?: unknown;
  /** The current `pricing_url` sheet, read on every lookup so a refresh takes effect at once. */
  datasheet?: () => PricingDatasheet | undefined;
  /**
   * Fall back to the prices bundled with `@pydantic/genai-prices`.
   * @default true
   */
  useDataset?: boolean;
}

/** The prices found for a model, and where. */
export interface ResolvedPrices {
  prices: ModelPrices;
  source: PriceSource;
  model: string;
}

// Model names come from callers: the cache is bounded, and starts over when full.
const resolvedCacheLimit = 4096;

/**
 * Prices answers: config overrides first, then upstream's `pricing_url` sheet, then the bundled dataset. A model
 * none of them knows is reported unpriced, never charged $0.
 */
export class PricingCatalog {
  readonly #overrides: ParsedPricingOverrides;
  readonly #datasheet: () => PricingDatasheet | undefined;
  readonly #useDataset: boolean;
  /** Lookups already made (undefined for an unknown model), valid while the sheet stays the same object. */
  #resolved = new Map<string, ResolvedPrices | undefined>();
  #resolvedSheet: PricingDatasheet | undefined;

  /** @throws InvalidPricingError when the overrides are malformed. */
  constructor({ overrides, datasheet = () => undefined, useDataset = true }: PricingCatalogOptions = {}) {
    this.#overrides = parsePricingOverrides(overrides);
    this.#datasheet = datasheet;
    this.#useDataset = useDataset;
  }

  /**
   * Finds a model's prices. Accepts `provider/model` names, dated variants (`gpt-4o-2024-08-06` falls back to
   * `gpt-4o` when the dated name has no entry) and provider aliases (`vertex_ai`, `google`, `aws`).
   */
  resolve(model: string, provider: string, promptTokens = 0): ResolvedPrices | undefined {
    // Resolving walks several tables and the dataset's matchers (tens of µs): answers are remembered, since they
    // change only when the sheet is refreshed, except tiered dataset prices, which depend on the prompt's size.
    const sheet = this.#datasheet();
    if (sheet !== this.#resolvedSheet || this.#resolved.size >= resolvedCacheLimit) {
      this.#resolved = new Map();
      this.#resolvedSheet = sheet;
    }
    const key = `${provider}\u0000${model}`;
    if (this.#resolved.has(key)) return this.#resolved.get(key);
    const found = this.#lookUp(model, provider, promptTokens);
    if (found?.tiered !== true) this.#resolved.set(key, found?.resolved);
    return found?.resolved;
  }

  #lookUp(
    model: string,
    provider: string,
    promptTokens: number,
  ): { resolved: ResolvedPrices | undefined; tiered: boolean } | undefined {
    const split = splitProviderPrefix(model, provider);
    const candidates = modelNameCandidates(split.model);
    for (const [source, table] of this.#tables()) {
      for (const name of candidates) {
        const prices = table.byProviderModel.get(`${split.provider}/${name}`) ?? table.byModel.get(name);
        if (prices)
          return { resolved: { prices, source, model: `${split.provider}/${name}` }, tiered: false };
      }
    }
    if (!this.#useDataset) return undefined;
    // The dataset matches dated variants itself, and knows when a dated release is priced differently.
    const found = lookupDatasetPrices(split.model, split.provider, promptTokens);
    if (found === undefined) return undefined;
    return {
      resolved: { prices: found.prices, source: 'dataset', model: found.model },
      tiered: found.tiered,
    };
  }

  /** Prices one answer's usage for a model served by a provider. */
  computeCost(usage: Usage, model: string, provider: string, extras?: CostExtras): CostResult {
    const resolved = this.resolve(model, provider, usage.prompt_tokens);
    if (!resolved)
      return { unpriced: true, reason: `no price known for model ${model} on provider ${provider}` };
    if (!hasAnyPrice(resolved.prices)) {
      return { unpriced: true, reason: `the ${resolved.source} entry for ${resolved.model} sets no price` };
    }
    const { usd, breakdown } = computeCostFromPrices(usage, resolved.prices, extras);
    return { usd, breakdown, source: resolved.source, model: resolved.model };
  }

  *#tables(): Iterable<[PriceSource, ParsedPricingOverrides | PricingDatasheet]> {
    yield ['override', this.#overrides];
    const sheet = this.#datasheet();
    if (sheet) yield ['datasheet', sheet];
  }
}
