import type { ModelPrices } from './model-prices.js';
import { parseModelPrices } from './parse-model-prices.js';
import { InvalidPricingError } from './pricing-error.js';
import { splitProviderPrefix } from './resolve-model-name.js';

/**
 * Per-model prices from config, keyed by `provider/model` (that provider only) or a bare model name (any
 * provider). They win over the price sheet and the dataset, and price custom models nothing else knows.
 * @example
 * { "openai/gpt-4o-mini": { "input_cost_per_token": 1.5e-7, "output_cost_per_token": 6e-7 },
 *   "my-finetune": { "input_cost_per_token": 1e-6, "output_cost_per_token": 2e-6, "cost_per_request": 0.001 } }
 */
export type PricingOverrides = Readonly<Record<string, ModelPrices>>;

/** Validated overrides, indexed for lookup. */
export interface ParsedPricingOverrides {
  byProviderModel: ReadonlyMap<string, ModelPrices>;
  byModel: ReadonlyMap<string, ModelPrices>;
}

/**
 * Validates overrides from config once, at the edge.
 * @param path where the overrides sit in the config, for error messages
 * @throws InvalidPricingError naming the field, e.g. `pricing.overrides["openai/gpt-4o"].input_cost_per_token`.
 */
export function parsePricingOverrides(value: unknown, path = 'pricing.overrides'): ParsedPricingOverrides {
  const byProviderModel = new Map<string, ModelPrices>();
  const byModel = new Map<string, ModelPrices>();
  if (value === undefined) return { byProviderModel, byModel };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidPricingError(path, 'must be an object keyed by model or provider/model');
  }
  for (const [key, entry] of Object.entries(value)) {
    const entryPath = `${path}[${JSON.stringify(key)}]`;
    if (key.trim() === '') throw new InvalidPricingError(entryPath, 'model name must not be empty');
    const prices = parseModelPrices(entry, entryPath);
    if (Object.keys(prices).length === 0) {
      throw new InvalidPricingError(entryPath, 'must set at least one price');
    }
    if (key.includes('/')) {
      const { provider, model } = splitProviderPrefix(key, '');
      byProviderModel.set(`${provider}/${model}`, prices);
    } else {
      byModel.set(key, prices);
    }
  }
  return { byProviderModel, byModel };
}
