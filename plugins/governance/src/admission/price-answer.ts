import type { ExtraFields, Usage } from '@bifrost/schemas';
import type { PricingCatalog } from '../pricing/pricing-catalog.js';

/** An answer's price: USD, or `unpriced` when no price is known for its model (never reported as 0). */
export type AnswerPrice = number | 'unpriced';

/** The usage shapes answers carry; embeddings report no completion tokens. */
export type AnswerUsageFields = Pick<Usage, 'prompt_tokens' | 'total_tokens'> & Partial<Usage>;

/** Prompt plus completion tokens, as governance counts them. */
export function tokensOf(usage: AnswerUsageFields): number {
  return usage.prompt_tokens + (usage.completion_tokens ?? 0);
}

/** Prices an answer's usage for the provider and model that produced it, cached tokens at the cache rate. */
export function priceAnswer(
  pricing: PricingCatalog,
  usage: AnswerUsageFields,
  model: string,
  provider: string,
): AnswerPrice {
  const full: Usage =
    usage.completion_tokens === undefined ? { ...usage, completion_tokens: 0 } : (usage as Usage);
  const cost = pricing.computeCost(full, model, provider);
  return 'unpriced' in cost ? 'unpriced' : cost.usd;
}

/** Writes the price into an answer's `extra_fields`: `cost` in USD, or `cost_status: "unpriced"`. */
export function annotatePrice(extraFields: ExtraFields, price: AnswerPrice): void {
  if (price === 'unpriced') extraFields.cost_status = 'unpriced';
  else extraFields.cost = price;
}
