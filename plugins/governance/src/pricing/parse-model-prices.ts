import { MODEL_PRICE_FIELDS, type ModelPrices } from './model-prices.js';
import { InvalidPricingError } from './pricing-error.js';

const KNOWN_FIELDS = new Set<string>(MODEL_PRICE_FIELDS);

/** Options for {@link parseModelPrices}. */
export interface ParseModelPricesOptions {
  /**
   * Reject fields that are not price fields. Config is strict; a datasheet carries many fields we do not use.
   * @default true
   */
  strict?: boolean;
}

/**
 * Validates one model's prices, naming the field path of the first problem.
 * @throws InvalidPricingError when a price is not a finite non-negative number, or (strict) a field is unknown.
 */
export function parseModelPrices(
  value: unknown,
  path: string,
  { strict = true }: ParseModelPricesOptions = {},
): ModelPrices {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidPricingError(path, 'must be an object of prices');
  }
  const prices: ModelPrices = {};
  for (const [field, price] of Object.entries(value)) {
    if (!KNOWN_FIELDS.has(field)) {
      if (strict)
        throw new InvalidPricingError(
          `${path}.${field}`,
          `unknown price field; expected one of ${MODEL_PRICE_FIELDS.join(', ')}`,
        );
      continue;
    }
    // Sheets write "no price" as null; config must not.
    if (price === null && !strict) continue;
    if (typeof price !== 'number' || !Number.isFinite(price) || price < 0) {
      throw new InvalidPricingError(`${path}.${field}`, 'must be a finite number >= 0 (USD)');
    }
    prices[field as keyof ModelPrices] = price;
  }
  return prices;
}
