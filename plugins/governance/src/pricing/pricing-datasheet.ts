import type { ModelPrices } from './model-prices.js';
import { parseModelPrices } from './parse-model-prices.js';
import { InvalidPricingError } from './pricing-error.js';
import { normalizeProvider } from './resolve-model-name.js';

/** A parsed price sheet: prices keyed by `provider/model`, and by bare model name for entries with no provider. */
export interface PricingDatasheet {
  byProviderModel: ReadonlyMap<string, ModelPrices>;
  byModel: ReadonlyMap<string, ModelPrices>;
}

/**
 * Parses a price sheet in upstream Bifrost's datasheet format: one JSON object keyed by model (optionally
 * `provider/model`), each entry with `provider`, `mode` and LiteLLM-named cost fields. Fields we do not price
 * (context lengths, tiers, audio) are ignored; a malformed price names its path.
 * @throws InvalidPricingError when the sheet is not an object or a price is malformed.
 */
export function parsePricingDatasheet(sheet: unknown): PricingDatasheet {
  if (typeof sheet !== 'object' || sheet === null || Array.isArray(sheet)) {
    throw new InvalidPricingError('$', 'the pricing datasheet must be a JSON object keyed by model');
  }
  const byProviderModel = new Map<string, ModelPrices>();
  const byModel = new Map<string, ModelPrices>();
  for (const [key, entry] of Object.entries(sheet)) {
    const path = `$[${JSON.stringify(key)}]`;
    const prices = parseModelPrices(entry, path, { strict: false });
    const slash = key.indexOf('/');
    const model = slash > 0 ? key.slice(slash + 1) : key;
    const declared = (entry as { provider?: unknown }).provider;
    const provider = typeof declared === 'string' ? declared : slash > 0 ? key.slice(0, slash) : '';
    if (provider) byProviderModel.set(`${normalizeProvider(provider)}/${model}`, prices);
    // A bare-name fallback only for entries tied to no provider: Azure's gpt-4o must not price OpenAI's.
    else byModel.set(model, prices);
  }
  return { byProviderModel, byModel };
}

/** How a sheet is read; injected so tests need neither the network nor real files. */
export interface DatasheetReaders {
  /** @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
  /** @default fs/promises readFile as UTF-8 */
  readFile?: (path: string) => Promise<string>;
}

/**
 * Reads and parses the sheet at a `file://`, `http://` or `https://` URL.
 * @throws Error when the URL cannot be read, or InvalidPricingError when its content is malformed.
 */
export async function loadPricingDatasheet(
  url: string,
  readers: DatasheetReaders = {},
): Promise<PricingDatasheet> {
  const parsed = new URL(url);
  let text: string;
  if (parsed.protocol === 'file:') {
    const { fileURLToPath } = await import('node:url');
    const readFile =
      readers.readFile ?? (async (path: string) => (await import('node:fs/promises')).readFile(path, 'utf8'));
    text = await readFile(fileURLToPath(parsed));
  } else if (parsed.protocol === 'https:' || parsed.protocol === 'http:') {
    const response = await (readers.fetch ?? globalThis.fetch)(url);
    if (!response.ok) throw new Error(`pricing datasheet ${url} answered HTTP ${response.status}`);
    text = await response.text();
  } else {
    throw new InvalidPricingError(
      'pricing_url',
      `unsupported scheme ${parsed.protocol}; use file:// or https://`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidPricingError('$', `the pricing datasheet is not JSON (${(error as Error).message})`);
  }
  return parsePricingDatasheet(json);
}
