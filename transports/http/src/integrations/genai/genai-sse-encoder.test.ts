import { GatewayError } from '@bifrost/core';
import type { ChatStreamChunk } from '@bifrost/schemas';
import { describe, expect, it } from 'vitest';
import { chunk, usageChunk } from '../testing/chat-fixtures.js';
import { parseSseText } from '../testing/integration-fixture.js';
import { GenAISseEncoder } from './genai-sse-encoder.js';

function encode(chunks: ChatStreamChunk[]) {
  const encoder = new GenAISseEncoder('gemini-2.0-flash');
  return parseSseText(chunks.map((item) => encoder.chunk(item)).join('') + encoder.end()).map(
    ([, data]) => data,
  );
}

const envelope = { modelVersion: 'gpt-4o-mini', responseId: 'chatcmpl-123' };

describe('GenAISseEncoder', () => {
  it('sends text as it arrives and the finish reason with usage last', () => {
    const events = encode([
      chunk({ role: 'assistant', content: '' }),
      chunk({ content: 'Hello' }),
      chunk({ content: ' there' }),
      chunk({}, 'stop'),
      usageChunk({ prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 }),
    ]);

    expect(events).toEqual([
      { candidates: [{ content: { role: 'model', parts: [{ text: 'Hello' }] }, index: 0 }], ...envelope },
      { candidates: [{ content: { role: 'model', parts: [{ text: ' there' }] }, index: 0 }], ...envelope },
      {
        candidates: [{ content: { role: 'model', parts: [{ text: '' }] }, finishReason: 'STOP', index: 0 }],
        usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 2, totalTokenCount: 7 },
        ...envelope,
      },
    ]);
  });

  it('joins tool-call fragments into whole function calls, signatures kept', () => {
    const events = encode([
      chunk({
        reasoning: 'Thinking.',
        tool_calls: [
          {
            index: 0,
            id: 'call_1',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"loc' },
            extra_content: { google: { thought_signature: 'sig' } },
          },
        ],
      }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: 'ation":"Paris"}' } }] }),
      chunk({}, 'tool_calls'),
    ]);

    expect(events).toEqual([
      {
        candidates: [{ content: { role: 'model', parts: [{ text: 'Thinking.', thought: true }] }, index: 0 }],
        ...envelope,
      },
      {
        candidates: [
          {
            content: {
              role: 'model',
              parts: [
                {
                  functionCall: { id: 'call_1', name: 'get_weather', args: { location: 'Paris' } },
                  thoughtSignature: 'sig',
                },
              ],
            },
            finishReason: 'STOP',
            index: 0,
          },
        ],
        ...envelope,
      },
    ]);
  });

  it("writes a failure as Google's error object", () => {
    const encoder = new GenAISseEncoder('gemini-2.0-flash');
    const error = new GatewayError('provider_unavailable', 'overloaded', { statusCode: 503 });
    expect(parseSseText(encoder.error(error))).toEqual([
      ['', { error: { code: 503, message: 'overloaded', status: 'UNAVAILABLE' } }],
    ]);
  });
});
