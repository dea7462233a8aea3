import { readFileSync } from 'node:fs';

/**
 * Reads one of Ollama's documented example bodies from this folder; each call returns a fresh copy, so callers
 * may change it.
 */
export function readOllamaFixture<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(new URL(`${name}.json`, import.meta.url), 'utf8')) as T;
}

/** Frames stream lines as Ollama sends them: one JSON object per line. */
export function ollamaNdjsonBody(lines: readonly unknown[]): string {
  let body = '';
  for (const line of lines) body += `${JSON.stringify(line)}\n`;
  return body;
}
