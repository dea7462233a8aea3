import type { ChatStreamChunk } from '@bifrost/schemas';
import { describe, expect, it } from 'vitest';
import { readAnthropicStreamFixture } from '../../anthropic/__fixtures__/anthropic-fixtures.js';
import { readAnthropicEvents } from './anthropic-stream.js';

const context = { provider: 'anthropic' as const, model: 'claude-sonnet-4-5' };

/** The text as a body arriving in small pieces, so events split across reads. */
async function* bytes(text: string): AsyncGenerator<Uint8Array> {
  const encoded = new TextEncoder().encode(text);
  for (let start = 0; start < encoded.length; start += 37) yield encoded.slice(start, start + 37);
}

async function collect(text: string): Promise<ChatStreamChunk[]> {
  const chunks: ChatStreamChunk[] = [];
  for await (const chunk of readAnthropicEvents(bytes(text), context)) chunks.push(chunk);
  return chunks;
}

function deltas(chunks: ChatStreamChunk[]) {
  return chunks.map((chunk) => ({
    delta: chunk.choices[0]!.delta,
    finish_reason: chunk.choices[0]!.finish_reason,
  }));
}

function event(data: unknown): string {
  return `event: ${(data as { type: string }).type}\ndata: ${JSON.stringify(data)}\n\n`;
}

const start = event({
  type: 'message_start',
  message: {
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    content: [],
    model: 'claude-x',
    usage: { input_tokens: 3, output_tokens: 1 },
  },
});
const stop =
  event({ type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 9 } }) +
  event({ type: 'message_stop' });

describe('readAnthropicEvents', () => {
  it('translates the documented text stream', async () => {
    const chunks = await collect(readAnthropicStreamFixture('stream-text'));
    for (const chunk of chunks) {
      expect(chunk).toMatchObject({
        id: 'msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY',
        object: 'chat.completion.chunk',
        model: 'claude-opus-4-6',
        created: chunks[0]!.created,
      });
    }
    expect(deltas(chunks)).toEqual([
      { delta: { role: 'assistant', content: '' }, finish_reason: null },
      { delta: { content: 'Hello' }, finish_reason: null },
      { delta: { content: '!' }, finish_reason: null },
      { delta: {}, finish_reason: 'stop' },
    ]);
    expect(chunks[3]!.usage).toEqual({ prompt_tokens: 25, completion_tokens: 15, total_tokens: 40 });
    expect(chunks.slice(0, 3).every((chunk) => chunk.usage === undefined)).toBe(true);
  });

  it('streams a tool call: id and name first, then argument fragments', async () => {
    const chunks = await collect(readAnthropicStreamFixture('stream-tool-use'));
    expect(deltas(chunks)).toEqual([
      { delta: { role: 'assistant', content: '' }, finish_reason: null },
      { delta: { content: 'Okay' }, finish_reason: null },
      { delta: { content: ", let's check the weather for San Francisco, CA:" }, finish_reason: null },
      {
        delta: {
          tool_calls: [
            {
              index: 0,
              id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
              type: 'function',
              function: { name: 'get_weather', arguments: '' },
            },
          ],
        },
        finish_reason: null,
      },
      ...['{"location":', ' "San', ' Francisc', 'o,', ' CA"', ', ', '"unit": "fah', 'renheit"}'].map(
        (fragment) => ({
          delta: { tool_calls: [{ index: 0, function: { arguments: fragment } }] },
          finish_reason: null,
        }),
      ),
      { delta: {}, finish_reason: 'tool_calls' },
    ]);
    expect(chunks.at(-1)!.usage).toEqual({ prompt_tokens: 472, completion_tokens: 89, total_tokens: 561 });
  });

  it('streams thinking as reasoning fragments and the signature under the same index', async () => {
    const chunks = await collect(readAnthropicStreamFixture('stream-thinking'));
    const first =
      'I need to find the GCD of 1071 and 462 using the Euclidean algorithm.\n\n1071 = 2 × 462 + 147';
    const second = '\n462 = 3 × 147 + 21\n147 = 7 × 21 + 0\n\nSo GCD(1071, 462) = 21';
    expect(deltas(chunks)).toEqual([
      { delta: { role: 'assistant', content: '' }, finish_reason: null },
      {
        delta: { reasoning: first, reasoning_details: [{ type: 'reasoning.text', text: first, index: 0 }] },
        finish_reason: null,
      },
      {
        delta: { reasoning: second, reasoning_details: [{ type: 'reasoning.text', text: second, index: 0 }] },
        finish_reason: null,
      },
      {
        delta: {
          reasoning_details: [
            {
              type: 'reasoning.text',
              text: '',
              signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds...',
              index: 0,
            },
          ],
        },
        finish_reason: null,
      },
      { delta: { content: 'The greatest common divisor of 1071 and 462 is **21**.' }, finish_reason: null },
      { delta: {}, finish_reason: 'stop' },
    ]);
    expect(chunks.at(-1)!.usage).toEqual({
      prompt_tokens: 44,
      completion_tokens: 156,
      total_tokens: 200,
      prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
    });
  });

  it('numbers tool calls and reasoning blocks by their own counts, not by block index', async () => {
    const text =
      start +
      event({ type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '' } }) +
      event({ type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 's0' } }) +
      event({
        type: 'content_block_start',
        index: 1,
        content_block: { type: 'redacted_thinking', data: 'enc' },
      }) +
      event({
        type: 'content_block_start',
        index: 2,
        content_block: { type: 'tool_use', id: 'toolu_a', name: 'a', input: {} },
      }) +
      event({
        type: 'content_block_start',
        index: 3,
        content_block: { type: 'tool_use', id: 'toolu_b', name: 'b', input: {} },
      }) +
      event({
        type: 'content_block_delta',
        index: 3,
        delta: { type: 'input_json_delta', partial_json: '{}' },
      }) +
      event({
        type: 'content_block_delta',
        index: 2,
        delta: { type: 'input_json_delta', partial_json: '{"x":1}' },
      }) +
      stop;
    expect(deltas(await collect(text)).map((entry) => entry.delta)).toEqual([
      { role: 'assistant', content: '' },
      { reasoning_details: [{ type: 'reasoning.text', text: '', signature: 's0', index: 0 }] },
      { reasoning_details: [{ type: 'reasoning.encrypted', data: 'enc', index: 1 }] },
      { tool_calls: [{ index: 0, id: 'toolu_a', type: 'function', function: { name: 'a', arguments: '' } }] },
      { tool_calls: [{ index: 1, id: 'toolu_b', type: 'function', function: { name: 'b', arguments: '' } }] },
      { tool_calls: [{ index: 1, function: { arguments: '{}' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '{"x":1}' } }] },
      {},
    ]);
  });

  it('ends with the provider error when an error event arrives mid-stream', async () => {
    const chunks: ChatStreamChunk[] = [];
    const reading = (async () => {
      for await (const chunk of readAnthropicEvents(
        bytes(readAnthropicStreamFixture('stream-error')),
        context,
      ))
        chunks.push(chunk);
    })();
    await expect(reading).rejects.toMatchObject({
      code: 'provider_unavailable',
      statusCode: 529,
      message: 'Overloaded',
      upstreamType: 'overloaded_error',
      retryable: true,
    });
    expect(chunks).toHaveLength(1);
  });

  it('reports a stream that ends before message_stop as cut short', async () => {
    const text = readAnthropicStreamFixture('stream-text').split('event: message_stop')[0]!;
    await expect(collect(text)).rejects.toMatchObject({
      code: 'provider_error',
      statusCode: 502,
      message: 'anthropic closed the stream before it finished',
    });
  });

  it('reports an event that is not JSON as malformed', async () => {
    await expect(collect(`${start}event: content_block_delta\ndata: {oops\n\n`)).rejects.toMatchObject({
      statusCode: 502,
      message: 'anthropic sent a stream event that is not JSON',
    });
  });

  it('reports a delta for a block it never opened as malformed', async () => {
    const text =
      start +
      event({
        type: 'content_block_delta',
        index: 4,
        delta: { type: 'input_json_delta', partial_json: '{' },
      });
    await expect(collect(text)).rejects.toMatchObject({
      message: 'anthropic sent an input_json_delta outside a tool_use block',
    });
  });
});
