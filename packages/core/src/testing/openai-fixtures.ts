import { readFileSync } from 'node:fs';

const fixturesDirectory = new URL('../providers/openai/__fixtures__/', import.meta.url);

/**
 * Reads one of OpenAI's documented example bodies from `providers/openai/__fixtures__/<name>.json`; each call
 * returns a fresh copy, so callers may change it.
 */
export function readOpenAIFixture<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(new URL(`${name}.json`, fixturesDirectory), 'utf8')) as T;
}
