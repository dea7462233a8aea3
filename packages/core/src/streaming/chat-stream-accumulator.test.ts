import type { ChatStreamChunk, ExtraFields } from '@bifrost/schemas';
import { describe, expect, it } from 'vitest';
import { readOpenAIFixture } from '../testing/openai-fixtures.js';
import { ChatStreamAccumulator } from './chat-stream-accumulator.js';

const extra: ExtraFields = { provider: 'openai', model: 'gpt-4o-mini', latency: 12.5 };

function accumulate(chunks: readonly ChatStreamChunk[]) {
  const accumulator = new ChatStreamAccumulator();
  for (const chunk of chunks) accumulator.add(chunk);
  return accumulator;
}

const chunk = (
  choices: ChatStreamChunk['choices'],
  rest: Partial<ChatStreamChunk> = {},
): ChatStreamChunk => ({
  id: 'chatcmpl-1',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'gpt-4o-mini',
  choices,
  ...rest,
});

describe('ChatStreamAccumulator', () => {
  it('joins the documented stream into one message, keeping usage and fingerprint', () => {
    const chunks = readOpenAIFixture<ChatStreamChunk[]>('chat-stream-usage-chunks');
    const accumulator = accumulate(chunks);
    expect(accumulator.chunkCount).toBe(chunks.length);
    expect(accumulator.toResponse(extra)).toEqual({
      id: 'chatcmpl-123',
      object: 'chat.completion',
      created: 1694268190,
      model: 'gpt-4o-mini',
      system_fingerprint: 'fp_44709d6fcb',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hello! How can I assist you today?' },
          finish_reason: 'stop',
        },
      ],
      usage: chunks.at(-1)!.usage,
      extra_fields: extra,
    });
  });

  it('joins the documented tool-call fragments by index', () => {
    const response = accumulate(readOpenAIFixture('chat-stream-tool-call-chunks')).toResponse(extra);
    expect(response.choices).toEqual([
      {
        index: 0,
        message: {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_DdmO9pD3xa9XTPNJ32zg2hcA',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"location":"Paris, France"}' },
            },
          ],
        },
        finish_reason: 'tool_calls',
      },
    ]);
    expect(response.usage).toBeUndefined();
  });

  it('keeps interleaved fragments of parallel tool calls apart', () => {
    const chunks = [
      chunk([
        {
          index: 0,
          delta: {
            tool_calls: [
              { index: 0, id: 'call_a', type: 'function', function: { name: 'weather', arguments: '' } },
              { index: 1, id: 'call_b', type: 'function', function: { name: 'time', arguments: '{"tz":' } },
            ],
          },
          finish_reason: null,
        },
      ]),
      chunk([
        {
          index: 0,
          delta: { tool_calls: [{ index: 1, function: { arguments: '"CET"}' } }] },
          finish_reason: null,
        },
      ]),
      chunk([
        {
          index: 0,
          delta: { tool_calls: [{ index: 0, function: { arguments: '{"city":"Oslo"}' } }] },
          finish_reason: null,
        },
      ]),
      chunk([{ index: 0, delta: {}, finish_reason: 'tool_calls' }]),
    ];
    const calls = accumulate(chunks).toResponse(extra).choices[0]!.message.tool_calls;
    expect(calls).toEqual([
      { id: 'call_a', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } },
      { id: 'call_b', type: 'function', function: { name: 'time', arguments: '{"tz":"CET"}' } },
    ]);
  });

  it('keeps choices apart and orders them by index', () => {
    const chunks = [
      chunk([
        { index: 1, delta: { role: 'assistant', content: 'B' }, finish_reason: null },
        { index: 0, delta: { role: 'assistant', content: 'A' }, finish_reason: null },
      ]),
      chunk([
        { index: 0, delta: { content: '1' }, finish_reason: 'stop' },
        { index: 1, delta: { content: '2', reasoning: 'thinking', refusal: 'no' }, finish_reason: 'length' },
      ]),
    ];
    const choices = accumulate(chunks).toResponse(extra).choices;
    expect(choices).toEqual([
      { index: 0, message: { role: 'assistant', content: 'A1' }, finish_reason: 'stop' },
      {
        index: 1,
        message: { role: 'assistant', content: 'B2', refusal: 'no', reasoning: 'thinking' },
        finish_reason: 'length',
      },
    ]);
  });

  it('takes id, created and model from the first chunk', () => {
    const response = accumulate([
      chunk([], { id: 'first', created: 5 }),
      chunk([], { id: 'second', created: 6, model: 'other' }),
    ]).toResponse(extra);
    expect(response).toMatchObject({ id: 'first', created: 5, model: 'gpt-4o-mini', choices: [] });
  });

  it('joins reasoning blocks by index, keeping the signature that arrives last and tool-call extra content', () => {
    const chunks = [
      chunk([
        {
          index: 0,
          delta: {
            reasoning: 'Let me ',
            reasoning_details: [{ type: 'reasoning.text', text: 'Let me ', index: 0 }],
          },
          finish_reason: null,
        },
      ]),
      chunk([
        {
          index: 0,
          delta: {
            reasoning: 'think',
            reasoning_details: [{ type: 'reasoning.text', text: 'think', index: 0 }],
          },
          finish_reason: null,
        },
      ]),
      chunk([
        {
          index: 0,
          delta: { reasoning_details: [{ type: 'reasoning.text', text: '', signature: 'sig-1', index: 0 }] },
          finish_reason: null,
        },
      ]),
      chunk([
        {
          index: 0,
          delta: { reasoning_details: [{ type: 'reasoning.encrypted', data: 'opaque', index: 1 }] },
          finish_reason: null,
        },
      ]),
      chunk([
        {
          index: 0,
          delta: {
            tool_calls: [
              {
                index: 0,
                id: 'call_1',
                type: 'function',
                function: { name: 'f', arguments: '{}' },
                extra_content: { google: { thought_signature: 'ts' } },
              },
            ],
          },
          finish_reason: 'tool_calls',
        },
      ]),
    ];
    const message = accumulate(chunks).toResponse(extra).choices[0]!.message;
    expect(message.reasoning).toBe('Let me think');
    expect(message.reasoning_details).toEqual([
      { type: 'reasoning.text', text: 'Let me think', signature: 'sig-1', index: 0 },
      { type: 'reasoning.encrypted', data: 'opaque', index: 1 },
    ]);
    expect(message.tool_calls).toEqual([
      {
        id: 'call_1',
        type: 'function',
        function: { name: 'f', arguments: '{}' },
        extra_content: { google: { thought_signature: 'ts' } },
      },
    ]);
  });
});
