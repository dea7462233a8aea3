import { readFileSync } from 'node:fs';

const fixturesDirectory = new URL('./', import.meta.url);

/** Reads one of Anthropic's documented example bodies, `<name>.json`; each call returns a fresh copy. */
export function readAnthropicFixture<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(new URL(`${name}.json`, fixturesDirectory), 'utf8')) as T;
}

/** Reads one of Anthropic's documented event streams, `<name>.sse`, as the bytes the API sends. */
export function readAnthropicStreamFixture(name: string): string {
  return readFileSync(new URL(`${name}.sse`, fixturesDirectory), 'utf8');
}
