import type { Usage } from '@bifrost/schemas';
import { findProvider } from '@pydantic/genai-prices';
import { describe, expect, it } from 'vitest';
import type { PricedCost } from './model-prices.js';
import { PricingCatalog } from './pricing-catalog.js';
import { parsePricingDatasheet } from './pricing-datasheet.js';
import { InvalidPricingError } from './pricing-error.js';

/** Per-token rates read straight from the dataset's raw rows, independent of the catalog's lookup. */
function datasetRates(providerId: string, modelId: string): Record<string, number> {
  const model = findProvider({ providerId })?.models.find((candidate) => candidate.id === modelId);
  if (!model || Array.isArray(model.prices))
    throw new Error(`${providerId}/${modelId} has no flat price row`);
  const rates: Record<string, number> = {};
  for (const [key, value] of Object.entries(model.prices)) {
    if (typeof value === 'number') rates[key] = value / 1_000_000;
  }
  return rates;
}

function usage(prompt: number, completion: number, details: Partial<Usage> = {}): Usage {
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    ...details,
  };
}

function priced(result: ReturnType<PricingCatalog['computeCost']>): PricedCost {
  if ('unpriced' in result) throw new Error(`expected a price, got: ${result.reason}`);
  return result;
}

describe('PricingCatalog with the bundled dataset', () => {
  const catalog = new PricingCatalog();

  it('prices gpt-4o-mini input and output at the dataset rates', () => {
    const rates = datasetRates('openai', 'gpt-4o-mini');
    const cost = priced(catalog.computeCost(usage(1200, 300), 'gpt-4o-mini', 'openai'));
    expect(cost.usd).toBeCloseTo(
      1200 * (rates.input_mtok ?? Number.NaN) + 300 * (rates.output_mtok ?? Number.NaN),
      15,
    );
    expect(cost.source).toBe('dataset');
    expect(cost.model).toBe('openai/gpt-4o-mini');
  });

  it('prices cached prompt tokens at the cache-read rate, not the input rate', () => {
    const rates = datasetRates('openai', 'gpt-4o');
    const input = rates.input_mtok ?? Number.NaN;
    const cacheRead = rates.cache_read_mtok ?? Number.NaN;
    expect(cacheRead).toBeLessThan(input);
    const cost = priced(
      catalog.computeCost(
        usage(1000, 100, { prompt_tokens_details: { cached_tokens: 800 } }),
        'gpt-4o',
        'openai',
      ),
    );
    expect(cost.breakdown.input).toBeCloseTo(200 * input, 15);
    expect(cost.breakdown.cached_input).toBeCloseTo(800 * cacheRead, 15);
    expect(cost.usd).toBeCloseTo(200 * input + 800 * cacheRead + 100 * (rates.output_mtok ?? Number.NaN), 15);
  });

  it('prices Anthropic cache reads and writes at their own rates', () => {
    const rates = datasetRates('anthropic', 'claude-sonnet-4-0');
    const details = { prompt_tokens_details: { cached_tokens: 2000, cache_write_tokens: 4735 } };
    const cost = priced(
      catalog.computeCost(usage(6740, 255, details), 'claude-sonnet-4-20250514', 'anthropic'),
    );
    const expected =
      5 * (rates.input_mtok ?? Number.NaN) +
      2000 * (rates.cache_read_mtok ?? Number.NaN) +
      4735 * (rates.cache_write_mtok ?? Number.NaN) +
      255 * (rates.output_mtok ?? Number.NaN);
    expect(cost.usd).toBeCloseTo(expected, 15);
    expect(cost.breakdown.cache_write).toBeCloseTo(4735 * (rates.cache_write_mtok ?? Number.NaN), 15);
  });

  it('prices reasoning tokens at the output rate when the model has no separate rate', () => {
    const rates = datasetRates('openai', 'o3-mini');
    const output = rates.output_mtok ?? Number.NaN;
    const details = { completion_tokens_details: { reasoning_tokens: 700 } };
    const cost = priced(catalog.computeCost(usage(100, 1000, details), 'o3-mini', 'openai'));
    expect(cost.breakdown.output).toBeCloseTo(300 * output, 15);
    expect(cost.breakdown.reasoning).toBeCloseTo(700 * output, 15);
    expect(cost.usd).toBeCloseTo(100 * (rates.input_mtok ?? Number.NaN) + 1000 * output, 15);
  });

  it('resolves provider prefixes, dated variants and provider aliases', () => {
    const rates = datasetRates('openai', 'gpt-4o');
    const expected = 1000 * (rates.input_mtok ?? Number.NaN) + 100 * (rates.output_mtok ?? Number.NaN);
    for (const [model, provider] of [
      ['openai/gpt-4o', ''],
      ['gpt-4o-2024-08-06', 'openai'],
      ['gpt-4o', 'azure'],
    ] as const) {
      expect(priced(catalog.computeCost(usage(1000, 100), model, provider)).usd).toBeCloseTo(expected, 15);
    }
    const gemini = datasetRates('google', 'gemini-2.5-flash');
    const geminiCost = 1000 * (gemini.input_mtok ?? Number.NaN) + 100 * (gemini.output_mtok ?? Number.NaN);
    for (const [model, provider] of [
      ['gemini-2.5-flash', 'gemini'],
      ['gemini-2.5-flash', 'vertex'],
      ['vertex_ai/gemini-2.5-flash', ''],
      ['google/gemini-2.5-flash', ''],
    ] as const) {
      expect(priced(catalog.computeCost(usage(1000, 100), model, provider)).usd).toBeCloseTo(geminiCost, 15);
    }
  });

  it('reports an unknown model as unpriced, not as $0', () => {
    const result = catalog.computeCost(usage(10, 10), 'no-such-model-xyz', 'openai');
    expect(result).toEqual({
      unpriced: true,
      reason: 'no price known for model no-such-model-xyz on provider openai',
    });
  });

  it('does not price a model under a provider that does not serve it', () => {
    expect('unpriced' in catalog.computeCost(usage(10, 10), 'gpt-4o', 'anthropic')).toBe(true);
  });
});

describe('PricingCatalog overrides and price sheets', () => {
  const sheet = parsePricingDatasheet({
    'gpt-4o': {
      provider: 'openai',
      mode: 'chat',
      input_cost_per_token: 0.000002,
      output_cost_per_token: 0.000008,
    },
  });

  it('prefers config overrides to the sheet, and the sheet to the dataset', () => {
    const overrides = {
      'openai/gpt-4o': { input_cost_per_token: 0.000001, output_cost_per_token: 0.000003 },
    };
    const withOverride = new PricingCatalog({ overrides, datasheet: () => sheet });
    const overridden = priced(withOverride.computeCost(usage(1000, 100), 'gpt-4o', 'openai'));
    expect(overridden.source).toBe('override');
    expect(overridden.usd).toBeCloseTo(1000 * 0.000001 + 100 * 0.000003, 15);

    const sheetOnly = priced(
      new PricingCatalog({ datasheet: () => sheet }).computeCost(usage(1000, 100), 'gpt-4o', 'openai'),
    );
    expect(sheetOnly.source).toBe('datasheet');
    expect(sheetOnly.usd).toBeCloseTo(1000 * 0.000002 + 100 * 0.000008, 15);
  });

  it('remembers a lookup until the sheet is refreshed', () => {
    let current = sheet;
    const catalog = new PricingCatalog({ datasheet: () => current });
    expect(priced(catalog.computeCost(usage(1000, 0), 'gpt-4o', 'openai')).usd).toBeCloseTo(0.002, 15);
    expect(priced(catalog.computeCost(usage(1000, 0), 'gpt-4o', 'openai')).source).toBe('datasheet');
    current = parsePricingDatasheet({
      'gpt-4o': {
        provider: 'openai',
        mode: 'chat',
        input_cost_per_token: 0.000004,
        output_cost_per_token: 0,
      },
    });
    expect(priced(catalog.computeCost(usage(1000, 0), 'gpt-4o', 'openai')).usd).toBeCloseTo(0.004, 15);
  });

  it('applies a provider-scoped override only to that provider', () => {
    const catalog = new PricingCatalog({
      overrides: { 'azure/gpt-4o': { input_cost_per_token: 1, output_cost_per_token: 1 } },
    });
    expect(priced(catalog.computeCost(usage(1, 0), 'gpt-4o', 'azure')).source).toBe('override');
    expect(priced(catalog.computeCost(usage(1, 0), 'gpt-4o', 'openai')).source).toBe('dataset');
  });

  it('prices a custom model from config alone, with per-request, per-image and reasoning rates', () => {
    const catalog = new PricingCatalog({
      useDataset: false,
      overrides: {
        'my-finetune': {
          input_cost_per_token: 0.000001,
          output_cost_per_token: 0.000002,
          output_cost_per_reasoning_token: 0.000005,
          cost_per_request: 0.001,
          output_cost_per_image: 0.04,
        },
      },
    });
    const details = { completion_tokens_details: { reasoning_tokens: 40 } };
    const cost = priced(
      catalog.computeCost(usage(500, 100, details), 'my-finetune', 'ollama', { images: 2 }),
    );
    expect(cost.breakdown).toEqual({
      input: 500 * 0.000001,
      cached_input: 0,
      cache_write: 0,
      output: 60 * 0.000002,
      reasoning: 40 * 0.000005,
      request: 0.001,
      images: 2 * 0.04,
    });
    expect(cost.usd).toBeCloseTo(500 * 0.000001 + 60 * 0.000002 + 40 * 0.000005 + 0.001 + 0.08, 15);
  });

  it('rejects malformed overrides with the field path', () => {
    const attempt = (overrides: unknown) => () => new PricingCatalog({ overrides });
    expect(attempt({ 'openai/gpt-4o': { input_cost_per_token: -1 } })).toThrow(
      new InvalidPricingError(
        'pricing.overrides["openai/gpt-4o"].input_cost_per_token',
        'must be a finite number >= 0 (USD)',
      ),
    );
    expect(attempt({ 'gpt-4o': { input_price: 1 } })).toThrow(
      /pricing\.overrides\["gpt-4o"\]\.input_price: unknown price field/,
    );
    expect(attempt({ 'gpt-4o': {} })).toThrow(/pricing\.overrides\["gpt-4o"\]: must set at least one price/);
    expect(attempt([])).toThrow(/pricing\.overrides: must be an object/);
  });
});
