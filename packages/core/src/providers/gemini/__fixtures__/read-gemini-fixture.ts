import { readFileSync } from 'node:fs';

/** Reads one documented example body from this folder; each call returns a fresh copy the caller may change. */
export function readGeminiFixture<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(new URL(`${name}.json`, import.meta.url), 'utf8')) as T;
}
