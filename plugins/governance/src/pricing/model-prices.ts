/**
 * Per-model prices in upstream Bifrost's datasheet vocabulary (LiteLLM's field names), in USD. Token rates are
 * per single token. The same shape serves config overrides, the `pricing_url` sheet and the bundled dataset.
 */
export interface ModelPrices {
  /** USD per prompt token that was neither read from nor written to a cache. */
  input_cost_per_token?: number;
  /** USD per completion token. */
  output_cost_per_token?: number;
  /** USD per prompt token read from the provider's cache; falls back to the input rate. */
  cache_read_input_token_cost?: number;
  /** USD per prompt token written to the provider's cache; falls back to the input rate. */
  cache_creation_input_token_cost?: number;
  /** USD per reasoning token, where a provider prices them apart; falls back to the output rate. */
  output_cost_per_reasoning_token?: number;
  /** Flat USD fee per request, on top of the token charges. */
  cost_per_request?: number;
  /** USD per generated image. */
  output_cost_per_image?: number;
}

/** The price fields, in the order they are validated and documented. */
export const MODEL_PRICE_FIELDS = [
  'input_cost_per_token',
  'output_cost_per_token',
  'cache_read_input_token_cost',
  'cache_creation_input_token_cost',
  'output_cost_per_reasoning_token',
  'cost_per_request',
  'output_cost_per_image',
] as const satisfies readonly (keyof ModelPrices)[];

/** Where a model's prices came from, most authoritative first. */
export type PriceSource = 'override' | 'datasheet' | 'dataset';

/** USD per usage component of one answer. */
export interface CostBreakdown {
  input: number;
  cached_input: number;
  cache_write: number;
  output: number;
  reasoning: number;
  request: number;
  images: number;
}

/** A priced answer: the total and how it splits, plus which prices were used. */
export interface PricedCost {
  usd: number;
  breakdown: CostBreakdown;
  source: PriceSource;
  /** The catalog entry that matched, e.g. `openai/gpt-4o` for `gpt-4o-2024-08-06`. */
  model: string;
}

/** An answer that could not be priced; reported as such, never as $0. */
export interface UnpricedCost {
  unpriced: true;
  reason: string;
}

/** The result of pricing one answer. */
export type CostResult = PricedCost | UnpricedCost;
