import { describe, expect, it } from 'vitest';
import { readBedrockFixture } from './__fixtures__/read-bedrock-fixture.js';
import { readConverseResponse } from './bedrock-api.js';
import { convertFromBedrockResponse } from './convert-from-bedrock-response.js';

const identity = { id: 'req-1', created: 1700000000, model: 'claude' };

function convert(fixture: string) {
  return convertFromBedrockResponse(
    readConverseResponse(readBedrockFixture(fixture), 'bedrock', 'claude'),
    identity,
  );
}

describe('convertFromBedrockResponse', () => {
  it('turns a text answer into a chat.completion with usage', () => {
    expect(convert('converse-response')).toEqual({
      id: 'req-1',
      object: 'chat.completion',
      created: 1700000000,
      model: 'claude',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hello! How can I help you today?' },
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 12, completion_tokens: 9, total_tokens: 21 },
    });
  });

  it('turns toolUse blocks into tool_calls with the input as the arguments string', () => {
    expect(convert('converse-response-tool-use').choices[0]).toEqual({
      index: 0,
      message: {
        role: 'assistant',
        content: "I'll look up the weather in Seattle.",
        tool_calls: [
          {
            id: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"location":"Seattle, WA","unit":"celsius"}' },
          },
        ],
      },
      finish_reason: 'tool_calls',
    });
  });

  it('keeps reasoning text, signature and redacted blocks, and reports cache usage', () => {
    const answer = convert('converse-response-reasoning');
    expect(answer.choices[0]).toEqual({
      index: 0,
      message: {
        role: 'assistant',
        content: '17 × 23 = 391.',
        reasoning: 'The user asks for 17 * 23. 17 * 20 = 340, 17 * 3 = 51, so 391.',
        reasoning_details: [
          {
            type: 'reasoning.text',
            text: 'The user asks for 17 * 23. 17 * 20 = 340, 17 * 3 = 51, so 391.',
            signature: 'EqoBCkgIARABGAIiQL2UoU0b1OHYi',
            index: 0,
          },
          { type: 'reasoning.encrypted', data: 'RXJyb3IgcmVkYWN0ZWQ=', index: 1 },
        ],
      },
      finish_reason: 'length',
    });
    expect(answer.usage).toEqual({
      prompt_tokens: 1049,
      completion_tokens: 120,
      total_tokens: 1169,
      prompt_tokens_details: { cached_tokens: 1000, cache_write_tokens: 24 },
    });
  });

  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['tool_use', 'tool_calls'],
    ['max_tokens', 'length'],
    ['guardrail_intervened', 'content_filter'],
    ['content_filtered', 'content_filter'],
  ])('maps stopReason %s to %s', (stopReason, finishReason) => {
    const body = { ...readBedrockFixture<Record<string, unknown>>('converse-response'), stopReason };
    const answer = convertFromBedrockResponse(readConverseResponse(body, 'bedrock', 'm'), identity);
    expect(answer.choices[0]!.finish_reason).toBe(finishReason);
  });

  it('rejects a body without output.message.content', () => {
    expect(() => readConverseResponse({ output: {} }, 'bedrock', 'm')).toThrow(
      'bedrock returned a malformed response: missing "output.message.content"',
    );
  });
});
