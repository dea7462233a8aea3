import type { ChatStreamChunk } from '@bifrost/schemas';
import { describe, expect, it } from 'vitest';
import { ollamaNdjsonBody, readOllamaFixture } from './__fixtures__/read-ollama-fixture.js';
import { readOllamaLines } from './ollama-stream.js';

const context = { provider: 'ollama' as const, model: 'llama3.2' };

async function collect(body: string): Promise<ChatStreamChunk[]> {
  async function* bytes() {
    // Split mid-line, as the network may.
    const encoded = new TextEncoder().encode(body);
    const middle = Math.floor(encoded.length / 2);
    yield encoded.subarray(0, middle);
    yield encoded.subarray(middle);
  }
  const chunks: ChatStreamChunk[] = [];
  for await (const chunk of readOllamaLines(bytes(), context, 'chatcmpl-1', 0)) chunks.push(chunk);
  return chunks;
}

describe('readOllamaLines', () => {
  it('turns NDJSON lines into OpenAI chunks with the finish reason and usage last', async () => {
    const created = Math.floor(Date.parse('2023-08-04T08:52:19.385406455-07:00') / 1000);
    const base = { id: 'chatcmpl-1', object: 'chat.completion.chunk', created, model: 'llama3.2' };
    expect(await collect(ollamaNdjsonBody(readOllamaFixture('chat-stream-lines')))).toEqual([
      { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] },
      { ...base, choices: [{ index: 0, delta: { content: 'The' }, finish_reason: null }] },
      { ...base, choices: [{ index: 0, delta: { content: ' sky' }, finish_reason: null }] },
      { ...base, choices: [{ index: 0, delta: { content: ' is blue.' }, finish_reason: null }] },
      {
        ...base,
        choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
        usage: { prompt_tokens: 26, completion_tokens: 282, total_tokens: 308 },
      },
    ]);
  });

  it('streams thinking as reasoning and each tool call whole, with an id and an index', async () => {
    const chunks = await collect(ollamaNdjsonBody(readOllamaFixture('chat-stream-tool-call-lines')));
    expect(chunks.map((chunk) => [chunk.choices[0]?.delta, chunk.choices[0]?.finish_reason])).toEqual([
      [{ role: 'assistant', content: '' }, null],
      [{ reasoning: 'The user wants the weather in Toronto.' }, null],
      [
        {
          tool_calls: [
            {
              index: 0,
              id: 'call_0',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Toronto"}' },
            },
          ],
        },
        null,
      ],
      [{}, 'tool_calls'],
    ]);
  });

  it('ends with the error an {"error"} line reports', async () => {
    const body = ollamaNdjsonBody([
      {
        model: 'llama3.2',
        created_at: '2024-01-01T00:00:00Z',
        message: { role: 'assistant', content: 'Hi' },
        done: false,
      },
      { error: 'an error was encountered while running the model: unexpected EOF' },
    ]);
    await expect(collect(body)).rejects.toMatchObject({
      code: 'provider_error',
      message: 'an error was encountered while running the model: unexpected EOF',
    });
  });

  it('fails a stream that ends without done: true', async () => {
    const lines = readOllamaFixture<unknown[]>('chat-stream-lines').slice(0, 2);
    await expect(collect(ollamaNdjsonBody(lines))).rejects.toThrow(
      'ollama closed the stream before it finished',
    );
  });

  it('fails on a line that is not JSON', async () => {
    await expect(collect('{"done":\n')).rejects.toThrow('ollama sent a stream event that is not JSON');
  });
});
