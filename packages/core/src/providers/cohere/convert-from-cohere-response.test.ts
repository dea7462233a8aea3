import { describe, expect, it } from 'vitest';
import { readCohereFixture } from './__fixtures__/read-cohere-fixture.js';
import { readCohereChatResponse } from './cohere-api.js';
import { fromCohereResponse } from './convert-from-cohere-response.js';

const context = { provider: 'cohere' as const, model: 'command-a-03-2025' };

function translate(name: string) {
  return fromCohereResponse(
    readCohereChatResponse(readCohereFixture(name), 'cohere', context.model),
    context,
    1700000000,
  );
}

describe('fromCohereResponse', () => {
  it('translates a text answer with real token counts and cached tokens', () => {
    expect(translate('chat-response')).toEqual({
      id: 'c14c80c3-18eb-4519-9460-6c92edd8cfb4',
      object: 'chat.completion',
      created: 1700000000,
      model: 'command-a-03-2025',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content:
              'LLMs stand for Large Language Models, which are a type of neural network model specialized in processing and generating human language.',
          },
          finish_reason: 'stop',
        },
      ],
      usage: {
        prompt_tokens: 215,
        completion_tokens: 22,
        total_tokens: 237,
        prompt_tokens_details: { cached_tokens: 192 },
      },
    });
  });

  it('keeps tool calls intact and the tool plan as content', () => {
    const answer = translate('chat-tool-call-response');
    expect(answer.choices[0]).toEqual({
      index: 0,
      message: {
        role: 'assistant',
        content:
          "I will first find the sales summary for 29th September 2023. Then, I will find the details of the products in the 'Electronics' category.",
        tool_calls: [
          {
            id: 'query_daily_sales_report_rm9nt8mn3ta0',
            type: 'function',
            function: { name: 'query_daily_sales_report', arguments: '{"day":"2023-09-29"}' },
          },
          {
            id: 'query_product_catalog_9rzb4d5yjmk2',
            type: 'function',
            function: { name: 'query_product_catalog', arguments: '{"category":"Electronics"}' },
          },
        ],
      },
      finish_reason: 'tool_calls',
    });
  });

  it('puts thinking items in reasoning', () => {
    expect(translate('chat-thinking-response').choices[0]?.message).toEqual({
      role: 'assistant',
      content: 'The answer to 2 + 2 is 4.',
      reasoning: 'The user is asking for the sum of 2 and 2. I can calculate the answer directly.',
    });
  });

  it('maps MAX_TOKENS to length and treats ERROR as a provider error', () => {
    const body = readCohereFixture<Record<string, unknown>>('chat-response');
    body.finish_reason = 'MAX_TOKENS';
    expect(
      fromCohereResponse(readCohereChatResponse(body, 'cohere', 'm'), context, 0).choices[0]?.finish_reason,
    ).toBe('length');
    body.finish_reason = 'ERROR';
    expect(() => fromCohereResponse(readCohereChatResponse(body, 'cohere', 'm'), context, 0)).toThrow(
      'cohere reported that the generation failed',
    );
  });

  it('rejects a body without a message', () => {
    expect(() => readCohereChatResponse({ id: 'x', finish_reason: 'COMPLETE' }, 'cohere', 'm')).toThrow(
      'cohere returned a malformed response: missing "message" object',
    );
  });
});
