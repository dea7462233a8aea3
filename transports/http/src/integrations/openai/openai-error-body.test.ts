import { GatewayError } from '@bifrost/core';
import { describe, expect, it } from 'vitest';
import { openAIErrorBody } from './openai-error-body.js';

describe('openAIErrorBody', () => {
  it("passes a provider's own type and code on", () => {
    const error = new GatewayError('rate_limited', 'Rate limit reached', {
      statusCode: 429,
      upstreamType: 'requests',
      upstreamCode: 'rate_limit_exceeded',
      fromProvider: true,
    });
    expect(openAIErrorBody(error)).toEqual({
      error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded', param: null },
    });
  });

  it("names the gateway's own failures in OpenAI's types", () => {
    expect(openAIErrorBody(new GatewayError('queue_full', 'queue is full')).error).toEqual({
      message: 'queue is full',
      type: 'rate_limit_error',
      code: 'queue_full',
      param: null,
    });
    expect(openAIErrorBody(new GatewayError('timeout', 'too slow')).error.type).toBe('server_error');
  });
});
