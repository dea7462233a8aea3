import { describe, expect, it } from 'vitest';
import { redactSecret } from '../../errors/redact-secret.js';
import { readOpenAIFixture } from '../../testing/openai-fixtures.js';
import { openAIErrorFromResponse, parseErrorBody } from './openai-error.js';

const context = { provider: 'openai' as const, model: 'gpt-4o-mini' };
const fixtureText = (name: string) => JSON.stringify(readOpenAIFixture(name));

describe('openAIErrorFromResponse', () => {
  it('keeps the status, type, code, message and Retry-After of a rate limit', () => {
    const error = openAIErrorFromResponse(
      429,
      { 'retry-after': '20' },
      fixtureText('error-429-rate-limit'),
      context,
    );
    expect(error).toMatchObject({
      code: 'rate_limited',
      statusCode: 429,
      fromProvider: true,
      retryable: true,
      upstreamType: 'requests',
      upstreamCode: 'rate_limit_exceeded',
      retryAfterMs: 20_000,
      provider: 'openai',
      model: 'gpt-4o-mini',
    });
    expect(error.message).toMatch(/^Rate limit reached for gpt-4o-mini/);
  });

  it('keeps the param a 400 names', () => {
    const error = openAIErrorFromResponse(400, {}, fixtureText('error-400-missing-parameter'), context);
    expect(error.toBifrostError()).toEqual({
      is_bifrost_error: false,
      status_code: 400,
      error: {
        type: 'invalid_request_error',
        code: 'missing_required_parameter',
        message: "Missing required parameter: 'messages'.",
        param: 'messages',
      },
      extra_fields: { error_code: 'invalid_request', provider: 'openai', model: 'gpt-4o-mini' },
    });
    expect(error.retryable).toBe(false);
  });

  it('keeps a null code from a server error', () => {
    const error = openAIErrorFromResponse(500, {}, fixtureText('error-500-server-error'), context);
    expect(error).toMatchObject({
      code: 'provider_error',
      statusCode: 500,
      retryable: true,
      upstreamCode: null,
    });
  });

  it('uses a plain-text body as the message', () => {
    expect(openAIErrorFromResponse(502, {}, '  Bad Gateway\n', context).message).toBe('Bad Gateway');
  });

  it('names the status when the body is empty', () => {
    expect(openAIErrorFromResponse(503, {}, '', context)).toMatchObject({
      code: 'provider_unavailable',
      message: 'openai answered HTTP 503',
    });
  });
});

describe('parseErrorBody', () => {
  it('reads the looser shapes compatible servers send', () => {
    expect(parseErrorBody('{"error":"model not loaded"}')).toEqual({ message: 'model not loaded' });
    expect(parseErrorBody('{"message":"quota"}')).toEqual({ message: 'quota' });
    expect(parseErrorBody('{"detail":"Not Found"}')).toEqual({ message: 'Not Found' });
    expect(parseErrorBody('{"status":"weird"}')).toBeUndefined();
  });
});

describe('redacting the key from provider messages', () => {
  it('replaces a key the provider echoed in its message', () => {
    const error = openAIErrorFromResponse(
      401,
      {},
      JSON.stringify({
        error: { message: 'Incorrect API key provided: sk-live-123456789.', type: 'invalid_request_error' },
      }),
      { provider: 'openai', model: 'gpt-4o-mini' },
      'sk-live-123456789',
    );
    expect(error.message).toBe('Incorrect API key provided: [redacted].');
    expect(JSON.stringify(error.toBifrostError())).not.toContain('sk-live-123456789');
  });

  it('leaves messages alone when the key is too short to recognise', () => {
    expect(redactSecret('value abc here', 'abc')).toBe('value abc here');
  });
});
