import { readFileSync } from 'node:fs';

const directory = new URL('../__fixtures__/openai/', import.meta.url);

/** One of OpenAI's documented example bodies from `src/__fixtures__/openai`, parsed. */
export function openAIFixture<Body = Record<string, unknown>>(name: string): Body {
  return JSON.parse(readFileSync(new URL(`${name}.json`, directory), 'utf8')) as Body;
}

/** Serialises chunks as OpenAI streams them: one `data:` event each, then `data: [DONE]` unless `done` is false. */
export function openAIEventStream(chunks: readonly unknown[], { done = true } = {}): string {
  const events = chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join('');
  return done ? `${events}data: [DONE]\n\n` : events;
}
