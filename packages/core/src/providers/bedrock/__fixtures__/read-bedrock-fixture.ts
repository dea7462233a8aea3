import { readFileSync } from 'node:fs';

/** A documented example event of a ConverseStream, as stored in `converse-stream-*.json`. */
export interface FixtureEvent {
  event: string;
  payload: unknown;
}

/** Reads `__fixtures__/<name>.json`; each call returns a fresh copy, so callers may change it. */
export function readBedrockFixture<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(new URL(`${name}.json`, import.meta.url), 'utf8')) as T;
}
