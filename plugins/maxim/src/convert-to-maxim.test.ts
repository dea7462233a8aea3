import type { BifrostError, TextCompletionResponse } from '@bifrost/schemas';
import { describe, expect, it } from 'vitest';
import {
  toMaximError,
  toMaximMessages,
  toMaximResult,
  traceInputOf,
  traceOutputOf,
} from './convert-to-maxim.js';

const completion: TextCompletionResponse = {
  id: 'cmpl-1',
  object: 'text_completion',
  created: 1741569952,
  model: 'gpt-3.5-turbo-instruct',
  choices: [{ index: 0, text: 'This is a test.', finish_reason: 'length' }],
  extra_fields: { provider: 'openai', model: 'gpt-3.5-turbo-instruct', latency: 12 },
};

describe('toMaximMessages', () => {
  it("turns a text completion's prompts into one user message", () => {
    const request = { provider: 'openai' as const, model: 'gpt-3.5-turbo-instruct', text: ['Say', 'this'] };
    expect(toMaximMessages(request)).toEqual([{ role: 'user', content: 'Say\nthis' }]);
    expect(traceInputOf(request)).toBe('Say\nthis');
  });

  it('has no messages for an embedding request', () => {
    expect(
      toMaximMessages({ provider: 'openai', model: 'text-embedding-3-small', input: 'hi' }),
    ).toBeUndefined();
  });
});

describe('traceInputOf', () => {
  it('takes the text parts of the last user message', () => {
    const request = {
      provider: 'openai' as const,
      model: 'gpt-4o',
      messages: [
        { role: 'user' as const, content: 'first' },
        {
          role: 'user' as const,
          content: [
            { type: 'text' as const, text: 'What is in ' },
            { type: 'image_url' as const, image_url: { url: 'https://example.com/cat.png' } },
            { type: 'text' as const, text: 'this image?' },
          ],
        },
      ],
    };
    expect(traceInputOf(request)).toBe('What is in this image?');
  });
});

describe('toMaximResult', () => {
  it('records a text completion with zero usage when the provider reported none', () => {
    expect(toMaximResult(completion)).toEqual({
      id: 'cmpl-1',
      object: 'text_completion',
      created: 1741569952,
      model: 'gpt-3.5-turbo-instruct',
      choices: [{ index: 0, text: 'This is a test.', logprobs: null, finish_reason: 'length' }],
      usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    });
    expect(traceOutputOf(completion)).toBe('This is a test.');
  });
});

describe('toMaximError', () => {
  it("keeps the message, the gateway's error code and the provider's error type", () => {
    const error: BifrostError = {
      is_bifrost_error: false,
      status_code: 429,
      error: { type: 'requests', code: 'rate_limit_exceeded', message: 'Rate limit reached' },
      extra_fields: { provider: 'openai', error_code: 'rate_limited' },
    };
    expect(toMaximError(error)).toEqual({
      message: 'Rate limit reached',
      code: 'rate_limited',
      type: 'requests',
    });
  });
});
