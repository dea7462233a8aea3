import { describe, expect, it } from 'vitest';
import { chatResponse, detailedUsage } from '../testing/chat-fixtures.js';
import { chatResponseToGenAI } from './chat-response-to-genai.js';

describe('chatResponseToGenAI', () => {
  it('writes thoughts with signatures, text and function calls, and Gemini usage', () => {
    const answer = chatResponseToGenAI(
      chatResponse(
        {
          role: 'assistant',
          content: 'Checking.',
          reasoning_details: [
            { type: 'reasoning.text', text: 'Need weather.', signature: 'sig-a', index: 0 },
          ],
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"location":"Paris"}' },
              extra_content: { google: { thought_signature: 'sig-b' } },
            },
          ],
        },
        'tool_calls',
        detailedUsage,
      ),
    );

    expect(answer).toEqual({
      candidates: [
        {
          content: {
            role: 'model',
            parts: [
              { text: 'Need weather.', thought: true, thoughtSignature: 'sig-a' },
              { text: 'Checking.' },
              {
                functionCall: { id: 'call_1', name: 'get_weather', args: { location: 'Paris' } },
                thoughtSignature: 'sig-b',
              },
            ],
          },
          finishReason: 'STOP',
          index: 0,
        },
      ],
      usageMetadata: {
        promptTokenCount: 100,
        candidatesTokenCount: 20,
        totalTokenCount: 130,
        cachedContentTokenCount: 60,
        thoughtsTokenCount: 10,
      },
      modelVersion: 'gpt-4o-mini-2024-07-18',
      responseId: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
    });
  });

  it.each([
    ['length', 'MAX_TOKENS'],
    ['content_filter', 'SAFETY'],
  ] as const)('maps finish_reason %s to %s', (reason, expected) => {
    const answer = chatResponseToGenAI(chatResponse({ role: 'assistant', content: 'x' }, reason));
    expect(answer.candidates[0]!.finishReason).toBe(expected);
  });
});
