import { readFileSync } from 'node:fs';

const fixturesDirectory = new URL('../fixtures/openai/', import.meta.url);

/**
 * Reads one of OpenAI's documented example bodies from `tests/fixtures/openai/<name>.json`.
 *
 * Each call returns a fresh copy, so callers may mutate it.
 * @example
 * const completion = readOpenAIFixture<ChatCompletion>('chat-completion');
 */
export function readOpenAIFixture<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(new URL(`${name}.json`, fixturesDirectory), 'utf8')) as T;
}
