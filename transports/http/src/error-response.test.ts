import { GatewayError } from '@bifrost/core';
import { describe, expect, it } from 'vitest';
import { errorResponse, invalidRequest } from './error-response.js';
import { readError } from './testing/read-error.js';

describe('errorResponse', () => {
  it("answers with the error's status and its BifrostError body", async () => {
    const response = errorResponse(invalidRequest('must be a boolean', 'stream'));
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await response.json()).toEqual({
      is_bifrost_error: true,
      status_code: 400,
      error: {
        type: 'invalid_request',
        code: 'invalid_request',
        message: 'stream: must be a boolean',
        param: 'stream',
      },
      extra_fields: { error_code: 'invalid_request' },
    });
  });

  it('sets retry-after on a 429 and x-bf-retries when retries are known', () => {
    const response = errorResponse(
      new GatewayError('rate_limited', 'slow down', { statusCode: 429, retryAfterMs: 1_500, retries: 2 }),
    );
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('2');
    expect(response.headers.get('x-bf-retries')).toBe('2');
  });

  it("sends a refusal's decision as the body's top-level type, with the refusal's own headers", async () => {
    const error = new GatewayError('rate_limited', 'Rate limit exceeded', {
      decision: 'request_limited',
      headers: { 'retry-after': '42', 'x-ratelimit-remaining-requests': '0' },
      retryAfterMs: 1000,
    });
    const response = errorResponse(error);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('42');
    expect(response.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(await response.json()).toMatchObject({ type: 'request_limited', status_code: 429 });
  });

  it('answers 400 for a cancelled request, since Response refuses 499', async () => {
    const response = errorResponse(new GatewayError('cancelled', 'the request was cancelled by the caller'));
    expect(response.status).toBe(400);
    expect((await readError(response)).status_code).toBe(499);
  });

  it('answers 500 for anything that is not a GatewayError, without its stack', async () => {
    const response = errorResponse(new TypeError('boom'));
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text).error.message).toBe('internal error: boom');
    expect(text).not.toContain('at ');
  });
});

describe('invalidRequest', () => {
  it('prefixes the message with the field and records it as param', () => {
    const error = invalidRequest('is required', 'model');
    expect(error.message).toBe('model: is required');
    expect(error.param).toBe('model');
    expect(invalidRequest('body must be JSON').param).toBeUndefined();
  });
});
