import { Ollama } from 'ollama';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type OllamaUpstream, startOllamaUpstream } from './support/ollama-upstream.js';

let upstream: OllamaUpstream;
let client: Ollama;

beforeAll(async () => {
  upstream = await startOllamaUpstream();
  client = new Ollama({ host: upstream.url });
});
afterEach(() => upstream.reset());
afterAll(() => upstream.close());

describe('the official ollama SDK against the fake Ollama', () => {
  it('reads a chat answer', async () => {
    const answer = await client.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'Hello!' }] });
    expect(answer.message.content).toBe('Hello! How are you today?');
    expect(answer.done).toBe(true);
    expect(upstream.requests[0]).toMatchObject({
      method: 'POST',
      path: '/api/chat',
      body: { stream: false },
    });
  });

  it('reads a streamed chat line by line', async () => {
    const parts: string[] = [];
    let last: { done: boolean; eval_count: number } | undefined;
    for await (const part of await client.chat({
      model: 'llama3.2',
      messages: [{ role: 'user', content: 'why is the sky blue?' }],
      stream: true,
    })) {
      parts.push(part.message?.content ?? '');
      last = part;
    }
    expect(parts.join('')).toBe('The sky is blue.');
    expect(last).toMatchObject({ done: true, eval_count: 282 });
  });

  it('reads embeddings', async () => {
    const answer = await client.embed({ model: 'all-minilm', input: ['a', 'b'] });
    expect(answer.embeddings).toHaveLength(2);
    expect(upstream.requests[0]).toMatchObject({
      path: '/api/embed',
      body: { model: 'all-minilm', input: ['a', 'b'] },
    });
  });

  it('raises its ResponseError with the status and message of a 404', async () => {
    upstream.enqueue({ kind: 'error', status: 404, message: "model 'llama3.3' not found" });
    const error = await client
      .chat({ model: 'llama3.3', messages: [{ role: 'user', content: 'Hi' }] })
      .catch((caught: unknown) => caught);
    // The package throws its ResponseError class without exporting it; its name and fields are the contract.
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: 'ResponseError',
      status_code: 404,
      error: "model 'llama3.3' not found",
    });
  });
});
