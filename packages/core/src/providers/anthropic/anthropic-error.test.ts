import { describe, expect, it } from 'vitest';
import { readAnthropicFixture } from './__fixtures__/anthropic-fixtures.js';
import { anthropicErrorFromResponse } from './anthropic-error.js';

const context = { provider: 'anthropic' as const, model: 'claude-sonnet-4-5' };

function read(
  status: number,
  fixture: string,
  headers: Record<string, string> = {},
  secret = 'sk-ant-secret-key',
) {
  return anthropicErrorFromResponse(
    status,
    headers,
    JSON.stringify(readAnthropicFixture(fixture)),
    context,
    secret,
  );
}

describe('anthropicErrorFromResponse', () => {
  it('keeps status, type and message of a documented error', () => {
    const error = read(400, 'error-400-invalid-request');
    expect(error).toMatchObject({
      code: 'invalid_request',
      statusCode: 400,
      message: 'max_tokens: Field required',
      upstreamType: 'invalid_request_error',
      fromProvider: true,
      retryable: false,
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
    });
  });

  it('keeps retry-after on a rate limit', () => {
    const error = read(429, 'error-429-rate-limit', { 'retry-after': '7' });
    expect(error).toMatchObject({
      code: 'rate_limited',
      statusCode: 429,
      upstreamType: 'rate_limit_error',
      retryAfterMs: 7000,
      retryable: true,
    });
  });

  it('treats 529 overloaded as a retryable unavailable provider', () => {
    expect(read(529, 'error-529-overloaded')).toMatchObject({
      code: 'provider_unavailable',
      statusCode: 529,
      message: 'Overloaded',
      upstreamType: 'overloaded_error',
      retryable: true,
    });
  });

  it('maps authentication failures', () => {
    expect(read(401, 'error-401-authentication')).toMatchObject({
      code: 'authentication_failed',
      statusCode: 401,
      upstreamType: 'authentication_error',
    });
  });

  it('redacts the key when a message echoes it', () => {
    const body = JSON.stringify({
      type: 'error',
      error: { type: 'authentication_error', message: 'bad key sk-ant-secret-key' },
    });
    expect(anthropicErrorFromResponse(401, {}, body, context, 'sk-ant-secret-key').message).toBe(
      'bad key [redacted]',
    );
  });

  it('uses a body that is not JSON as the message', () => {
    expect(anthropicErrorFromResponse(502, {}, 'Bad Gateway', context).message).toBe('Bad Gateway');
  });
});
