import { describe, expect, it } from 'vitest';
import { chatResponse, detailedUsage } from '../testing/chat-fixtures.js';
import { anthropicStopReason, chatResponseToAnthropic } from './chat-response-to-anthropic.js';

describe('chatResponseToAnthropic', () => {
  it('writes thinking with its signature, then text, then tool_use with parsed input', () => {
    const answer = chatResponseToAnthropic(
      chatResponse(
        {
          role: 'assistant',
          content: 'Let me check.',
          reasoning: 'Need the weather.',
          reasoning_details: [
            { type: 'reasoning.text', text: 'Need the weather.', signature: 'sig-1', index: 0 },
            { type: 'reasoning.encrypted', data: 'opaque', index: 1 },
          ],
          tool_calls: [
            {
              id: 'toolu_01',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"location":"Paris"}' },
            },
          ],
        },
        'tool_calls',
        detailedUsage,
      ),
    );

    expect(answer).toEqual({
      id: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
      type: 'message',
      role: 'assistant',
      model: 'gpt-4o-mini-2024-07-18',
      content: [
        { type: 'thinking', thinking: 'Need the weather.', signature: 'sig-1' },
        { type: 'redacted_thinking', data: 'opaque' },
        { type: 'text', text: 'Let me check.' },
        { type: 'tool_use', id: 'toolu_01', name: 'get_weather', input: { location: 'Paris' } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: {
        input_tokens: 25,
        output_tokens: 30,
        cache_read_input_tokens: 60,
        cache_creation_input_tokens: 15,
      },
    });
  });

  it('answers plain text with zero usage when the provider reported none', () => {
    const answer = chatResponseToAnthropic(chatResponse({ role: 'assistant', content: 'Hi!' }, 'stop'));
    expect(answer.content).toEqual([{ type: 'text', text: 'Hi!' }]);
    expect(answer.usage).toEqual({ input_tokens: 0, output_tokens: 0 });
  });

  it('keeps arguments that are not JSON under raw', () => {
    const answer = chatResponseToAnthropic(
      chatResponse(
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{broken' } }],
        },
        'tool_calls',
      ),
    );
    expect(answer.content).toEqual([
      { type: 'tool_use', id: 'call_1', name: 'f', input: { raw: '{broken' } },
    ]);
  });

  it.each([
    ['stop', 'end_turn'],
    ['length', 'max_tokens'],
    ['tool_calls', 'tool_use'],
    ['content_filter', 'refusal'],
    [null, null],
  ] as const)('maps finish_reason %s to stop_reason %s', (reason, expected) => {
    expect(anthropicStopReason(reason)).toBe(expected);
  });
});
