import { readFileSync } from 'node:fs';

/**
 * Reads one of Cohere's documented example bodies from this folder; each call returns a fresh copy, so callers
 * may change it.
 */
export function readCohereFixture<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(new URL(`${name}.json`, import.meta.url), 'utf8')) as T;
}

/** Frames stream events as Cohere sends them: `event: <type>` and `data: <json>` per event. */
export function cohereSseBody(events: readonly unknown[]): string {
  let body = '';
  for (const event of events)
    body += `event: ${(event as { type: string }).type}\ndata: ${JSON.stringify(event)}\n\n`;
  return body;
}
