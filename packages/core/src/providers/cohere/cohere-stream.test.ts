import type { ChatStreamChunk } from '@bifrost/schemas';
import { describe, expect, it } from 'vitest';
import { cohereSseBody, readCohereFixture } from './__fixtures__/read-cohere-fixture.js';
import { readCohereEvents } from './cohere-stream.js';

const context = { provider: 'cohere' as const, model: 'command-a-03-2025' };

async function collect(body: string): Promise<ChatStreamChunk[]> {
  async function* bytes() {
    yield new TextEncoder().encode(body);
  }
  const chunks: ChatStreamChunk[] = [];
  for await (const chunk of readCohereEvents(bytes(), context, 1700000000)) chunks.push(chunk);
  return chunks;
}

function expected(id: string, deltas: [Record<string, unknown>, string | null, unknown?][]) {
  return deltas.map(([delta, finish_reason, usage]) => ({
    id,
    object: 'chat.completion.chunk',
    created: 1700000000,
    model: 'command-a-03-2025',
    choices: [{ index: 0, delta, finish_reason }],
    ...(usage === undefined ? {} : { usage }),
  }));
}

describe('readCohereEvents', () => {
  it('turns a text stream into OpenAI chunks with the finish reason and usage last', async () => {
    expect(await collect(cohereSseBody(readCohereFixture('chat-stream-events')))).toEqual(
      expected('29f14a5a-11de-4cae-9800-25e4747408ea', [
        [{ role: 'assistant', content: '' }, null],
        [{ content: 'Large' }, null],
        [{ content: ' Language' }, null],
        [{ content: ' Models.' }, null],
        [{}, 'stop', { prompt_tokens: 215, completion_tokens: 3, total_tokens: 218 }],
      ]),
    );
  });

  it('streams tool calls as id and name first, then argument fragments, each under its index', async () => {
    expect(await collect(cohereSseBody(readCohereFixture('chat-stream-tool-call-events')))).toEqual(
      expected('2941521a-b87a-45f6-9b0d-235fd66c3025', [
        [{ role: 'assistant', content: '' }, null],
        [{ content: 'I will use the weather tool' }, null],
        [{ content: ' for both cities.' }, null],
        [
          {
            tool_calls: [
              {
                index: 0,
                id: 'weather_e8p4pn45zt0t',
                type: 'function',
                function: { name: 'weather', arguments: '' },
              },
            ],
          },
          null,
        ],
        [{ tool_calls: [{ index: 0, function: { arguments: '{"location":' } }] }, null],
        [{ tool_calls: [{ index: 0, function: { arguments: ' "San Francisco"}' } }] }, null],
        [
          {
            tool_calls: [
              {
                index: 1,
                id: 'weather_pyxssbwnq9fq',
                type: 'function',
                function: { name: 'weather', arguments: '' },
              },
            ],
          },
          null,
        ],
        [{ tool_calls: [{ index: 1, function: { arguments: '{"location": "Paris"}' } }] }, null],
        [
          {},
          'tool_calls',
          {
            prompt_tokens: 1549,
            completion_tokens: 95,
            total_tokens: 1644,
            prompt_tokens_details: { cached_tokens: 1504 },
          },
        ],
      ]),
    );
  });

  it('streams thinking as reasoning before the answer', async () => {
    const chunks = await collect(cohereSseBody(readCohereFixture('chat-stream-thinking-events')));
    expect(chunks.map((chunk) => chunk.choices[0]?.delta)).toEqual([
      { role: 'assistant', content: '' },
      { reasoning: 'The user asks for 2 + 2.' },
      { content: '4.' },
      {},
    ]);
  });

  it('fails a stream that ends before message-end', async () => {
    const events = readCohereFixture<unknown[]>('chat-stream-events').slice(0, 3);
    await expect(collect(cohereSseBody(events))).rejects.toThrow(
      'cohere closed the stream before it finished',
    );
  });

  it('fails with the error Cohere reports in message-end', async () => {
    const body = cohereSseBody([
      { id: 'x', type: 'message-start', delta: { message: { role: 'assistant' } } },
      { type: 'message-end', delta: { finish_reason: 'ERROR', error: 'internal failure' } },
    ]);
    await expect(collect(body)).rejects.toMatchObject({
      code: 'provider_error',
      message: 'internal failure',
    });
  });

  it('fails on an event that is not JSON', async () => {
    await expect(collect('event: message-start\ndata: {oops\n\n')).rejects.toThrow(
      'cohere sent a stream event that is not JSON',
    );
  });
});
