import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PricingCatalog } from './pricing-catalog.js';
import { loadPricingDatasheet, parsePricingDatasheet } from './pricing-datasheet.js';

const sheetUrl = new URL('./__fixtures__/pricing-datasheet.json', import.meta.url);
const badSheetUrl = new URL('./__fixtures__/pricing-datasheet-bad.json', import.meta.url);

describe('parsePricingDatasheet', () => {
  it('keys entries by normalised provider and model, keeping only the price fields', () => {
    const sheet = parsePricingDatasheet(JSON.parse(readFileSync(sheetUrl, 'utf8')));
    expect(sheet.byProviderModel.get('openai/gpt-4o')).toEqual({
      input_cost_per_token: 0.000002,
      output_cost_per_token: 0.000008,
      cache_read_input_token_cost: 0.000001,
    });
    expect(sheet.byProviderModel.get('vertex/gemini-2.5-flash')).toEqual({
      input_cost_per_token: 3e-7,
      output_cost_per_token: 0.0000025,
    });
    expect(sheet.byModel.size).toBe(0);
  });

  it('names the path of a malformed price', () => {
    expect(() => parsePricingDatasheet(JSON.parse(readFileSync(badSheetUrl, 'utf8')))).toThrow(
      '$["gpt-4o"].input_cost_per_token: must be a finite number >= 0 (USD)',
    );
    expect(() => parsePricingDatasheet([])).toThrow(/must be a JSON object keyed by model/);
  });
});

describe('loadPricingDatasheet', () => {
  let server: Server;
  let baseUrl: string;
  beforeAll(async () => {
    const body = readFileSync(sheetUrl, 'utf8');
    server = createServer((request, response) => {
      if (request.url === '/pricing.json')
        response.writeHead(200, { 'content-type': 'application/json' }).end(body);
      else response.writeHead(404).end('not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reads a sheet from a file:// URL and prices from it', async () => {
    const sheet = await loadPricingDatasheet(sheetUrl.href);
    const catalog = new PricingCatalog({ datasheet: () => sheet, useDataset: false });
    const usage = { prompt_tokens: 1000, completion_tokens: 100, total_tokens: 1100 };
    const cost = catalog.computeCost(usage, 'sheet-only-model', 'openai');
    expect(cost).toMatchObject({ source: 'datasheet', model: 'openai/sheet-only-model' });
    expect('usd' in cost && cost.usd).toBeCloseTo(1000 * 0.000001 + 100 * 0.000004 + 0.01, 15);
  });

  it('reads a sheet over HTTP', async () => {
    const sheet = await loadPricingDatasheet(`${baseUrl}/pricing.json`);
    expect(sheet.byProviderModel.has('openai/sheet-only-model')).toBe(true);
  });

  it('fails on an HTTP error status, a non-JSON body and an unsupported scheme', async () => {
    await expect(loadPricingDatasheet(`${baseUrl}/missing.json`)).rejects.toThrow(/answered HTTP 404/);
    await expect(
      loadPricingDatasheet('file:///pricing.json', { readFile: async () => 'not json' }),
    ).rejects.toThrow(/is not JSON/);
    await expect(loadPricingDatasheet('ftp://example.test/pricing.json')).rejects.toThrow(
      /unsupported scheme ftp:/,
    );
  });
});
