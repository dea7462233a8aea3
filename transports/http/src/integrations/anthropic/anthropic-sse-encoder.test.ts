import { GatewayError } from '@bifrost/core';
import type { ChatStreamChunk } from '@bifrost/schemas';
import { describe, expect, it } from 'vitest';
import { chunk, usageChunk } from '../testing/chat-fixtures.js';
import { integrationFixture, parseSseText } from '../testing/integration-fixture.js';
import { AnthropicSseEncoder } from './anthropic-sse-encoder.js';

function encode(
  chunks: ChatStreamChunk[],
  encoder = new AnthropicSseEncoder('claude', () => 'msg_fallback'),
) {
  return parseSseText(chunks.map((item) => encoder.chunk(item)).join('') + encoder.end());
}

const withId = (item: ChatStreamChunk): ChatStreamChunk => ({
  ...item,
  id: 'msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY',
  model: 'claude-opus-4-1-20250805',
});

describe('AnthropicSseEncoder', () => {
  it("writes a text stream as Anthropic's documented event sequence", () => {
    const events = encode(
      [
        chunk({ role: 'assistant', content: '' }),
        chunk({ content: 'Hello' }),
        chunk({ content: '!' }),
        chunk({}, 'stop'),
        usageChunk({ prompt_tokens: 25, completion_tokens: 15, total_tokens: 40 }),
      ].map(withId),
    );

    // Anthropic's example pings after the first content_block_start; pings may come anywhere, so the gateway
    // sends its one ping right after message_start.
    const documented = integrationFixture<[string, unknown][]>('anthropic', 'text-stream-events');
    expect(events).toEqual(documented);
  });

  it('streams signed thinking, text and a tool call as numbered blocks', () => {
    const events = encode([
      chunk({
        role: 'assistant',
        reasoning_details: [{ type: 'reasoning.text', text: 'Let me ', index: 0 }],
      }),
      chunk({ reasoning_details: [{ type: 'reasoning.text', text: 'think.', index: 0 }] }),
      chunk({ reasoning_details: [{ type: 'reasoning.text', text: '', signature: 'sig-1', index: 0 }] }),
      chunk({ content: 'Checking.' }),
      chunk({
        tool_calls: [
          { index: 0, id: 'toolu_01', type: 'function', function: { name: 'get_weather', arguments: '' } },
        ],
      }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"location":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
      chunk({}, 'tool_calls'),
    ]);

    expect(events.map(([name, data]) => (name === 'content_block_delta' ? [name, data] : name))).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      [
        'content_block_delta',
        { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Let me ' } },
      ],
      [
        'content_block_delta',
        { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'think.' } },
      ],
      [
        'content_block_delta',
        { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'sig-1' } },
      ],
      'content_block_stop',
      'content_block_start',
      [
        'content_block_delta',
        { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'Checking.' } },
      ],
      'content_block_stop',
      'content_block_start',
      [
        'content_block_delta',
        {
          type: 'content_block_delta',
          index: 2,
          delta: { type: 'input_json_delta', partial_json: '{"location":' },
        },
      ],
      [
        'content_block_delta',
        {
          type: 'content_block_delta',
          index: 2,
          delta: { type: 'input_json_delta', partial_json: '"Paris"}' },
        },
      ],
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const starts = events.filter(([name]) => name === 'content_block_start').map(([, data]) => data);
    expect(starts).toEqual([
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '' } },
      { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } },
      {
        type: 'content_block_start',
        index: 2,
        content_block: { type: 'tool_use', id: 'toolu_01', name: 'get_weather', input: {} },
      },
    ]);
    expect(events.find(([name]) => name === 'message_delta')![1]).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { input_tokens: 0, output_tokens: 0 },
    });
  });

  it('opens a redacted_thinking block whole', () => {
    const events = encode([chunk({ reasoning_details: [{ type: 'reasoning.encrypted', data: 'opaque' }] })]);
    expect(events.slice(2, 4)).toEqual([
      [
        'content_block_start',
        {
          type: 'content_block_start',
          index: 0,
          content_block: { type: 'redacted_thinking', data: 'opaque' },
        },
      ],
      ['content_block_stop', { type: 'content_block_stop', index: 0 }],
    ]);
  });

  it('still frames a stream that ended before its first chunk', () => {
    const events = encode([]);
    expect(events.map(([name]) => name)).toEqual(['message_start', 'ping', 'message_delta', 'message_stop']);
    expect(events[0]![1]).toMatchObject({ message: { id: 'msg_fallback', model: 'claude' } });
  });

  it('writes a failure as an error event in Anthropic’s shape', () => {
    const encoder = new AnthropicSseEncoder('claude');
    const error = new GatewayError('rate_limited', 'slow down', { statusCode: 429 });
    expect(parseSseText(encoder.error(error))).toEqual([
      ['error', { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } }],
    ]);
  });
});
