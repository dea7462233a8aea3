import { calcPrice, type ModelPrice } from '@pydantic/genai-prices';
import type { ModelPrices } from './model-prices.js';

/** Gateway provider ids mapped to `@pydantic/genai-prices` provider ids where they differ. */
const DATASET_PROVIDER_IDS: Readonly<Record<string, string>> = {
  gemini: 'google',
  vertex: 'google',
  bedrock: 'aws',
  xai: 'x-ai',
};

/** A model's prices from the bundled dataset, and the dataset's id for the model it matched. */
export interface DatasetPrices {
  prices: ModelPrices;
  model: string;
  /** Whether a rate depends on the prompt's size, so the prices hold for this prompt size only. */
  tiered: boolean;
}

/**
 * Looks a model up in `@pydantic/genai-prices`' bundled data (no network: we never call its `updatePrices`).
 * Per-million-token rates become per-token; a tiered rate takes the tier the prompt's size reaches.
 * Returns undefined when the dataset does not price the model for that provider.
 */
export function lookupDatasetPrices(
  model: string,
  provider: string,
  promptTokens = 0,
  timestamp?: Date,
): DatasetPrices | undefined {
  const providerId = DATASET_PROVIDER_IDS[provider] ?? provider;
  let result: ReturnType<typeof calcPrice>;
  try {
    result = calcPrice({}, model, { providerId, ...(timestamp ? { timestamp } : {}) });
  } catch {
    // The dataset throws on internally inconsistent price rows; treat that model as unknown rather than fail.
    return undefined;
  }
  if (result === null) return undefined;
  let tiered = false;
  const rate = (key: string) => {
    const value = result.model_price[key];
    if (value !== undefined && typeof value !== 'number') tiered = true;
    return perToken(result.model_price, key, promptTokens);
  };
  const prices: ModelPrices = {};
  assign(prices, 'input_cost_per_token', rate('input_mtok'));
  assign(prices, 'output_cost_per_token', rate('output_mtok'));
  assign(prices, 'cache_read_input_token_cost', rate('cache_read_mtok'));
  assign(prices, 'cache_creation_input_token_cost', rate('cache_write_mtok'));
  const perThousandRequests = result.model_price.requests_kcount;
  if (typeof perThousandRequests === 'number') prices.cost_per_request = perThousandRequests / 1000;
  return { prices, model: `${result.provider.id}/${result.model.id}`, tiered };
}

function perToken(price: ModelPrice, key: string, promptTokens: number): number | undefined {
  const value = price[key];
  if (value === undefined) return undefined;
  if (typeof value === 'number') return value / 1_000_000;
  let perMillion = value.base;
  for (const tier of value.tiers) if (promptTokens > tier.start) perMillion = tier.price;
  return perMillion / 1_000_000;
}

function assign(prices: ModelPrices, field: keyof ModelPrices, value: number | undefined): void {
  if (value !== undefined) prices[field] = value;
}
