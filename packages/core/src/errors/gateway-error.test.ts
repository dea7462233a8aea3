import { errorCodes } from '@bifrost/schemas';
import { describe, expect, it } from 'vitest';
import { abortedError } from './abort-reason.js';
import { errorCodeForUpstreamStatus, httpStatusByErrorCode, isRetryableStatus } from './error-status.js';
import { allowsFallback, GatewayError } from './gateway-error.js';

describe('GatewayError', () => {
  it('takes its status from the code unless given one', () => {
    expect(new GatewayError('queue_full', 'full').statusCode).toBe(429);
    expect(new GatewayError('provider_error', 'teapot', { statusCode: 418 }).statusCode).toBe(418);
  });

  it('is retryable for network failures, timeouts and retryable provider statuses', () => {
    expect(new GatewayError('network_error', 'reset').retryable).toBe(true);
    expect(new GatewayError('timeout', 'slow').retryable).toBe(true);
    expect(
      new GatewayError('rate_limited', 'slow down', { statusCode: 429, fromProvider: true }).retryable,
    ).toBe(true);
    expect(
      new GatewayError('provider_error', 'boom', { statusCode: 500, fromProvider: true }).retryable,
    ).toBe(true);
    expect(
      new GatewayError('invalid_request', 'bad', { statusCode: 400, fromProvider: true }).retryable,
    ).toBe(false);
    expect(new GatewayError('queue_full', 'full').retryable).toBe(false);
    expect(new GatewayError('internal', 'bug').retryable).toBe(false);
  });

  describe('from', () => {
    it('returns a GatewayError unchanged', () => {
      const original = new GatewayError('timeout', 'slow');
      expect(GatewayError.from(original, { provider: 'groq' })).toBe(original);
    });

    it('turns an abort into cancelled', () => {
      const abort = new DOMException('aborted', 'AbortError');
      const error = GatewayError.from(abort, { provider: 'openai', model: 'gpt-4o' });
      expect(error).toMatchObject({
        code: 'cancelled',
        statusCode: 499,
        provider: 'openai',
        model: 'gpt-4o',
      });
      expect(error.cause).toBe(abort);
    });

    it('turns anything else into internal, keeping the original as cause', () => {
      const bug = new TypeError('x is undefined');
      const error = GatewayError.from(bug);
      expect(error).toMatchObject({
        code: 'internal',
        statusCode: 500,
        message: 'internal error: x is undefined',
      });
      expect(error.cause).toBe(bug);
      expect(GatewayError.from('a string').message).toBe('internal error: a string');
    });
  });

  describe('toBifrostError', () => {
    it('describes a gateway error in the wire shape', () => {
      const error = new GatewayError('no_key_available', 'no openai key', {
        provider: 'openai',
        model: 'gpt-4o',
        param: 'model',
      });
      expect(error.toBifrostError()).toEqual({
        is_bifrost_error: true,
        status_code: 400,
        error: {
          type: 'no_key_available',
          code: 'no_key_available',
          message: 'no openai key',
          param: 'model',
        },
        extra_fields: { error_code: 'no_key_available', provider: 'openai', model: 'gpt-4o' },
      });
    });

    it('passes a provider error on with its own type and code', () => {
      const error = new GatewayError('rate_limited', 'Rate limit reached', {
        statusCode: 429,
        fromProvider: true,
        upstreamType: 'requests',
        upstreamCode: 'rate_limit_exceeded',
        provider: 'openai',
        retries: 2,
        allowFallbacks: false,
      });
      expect(error.toBifrostError()).toEqual({
        is_bifrost_error: false,
        status_code: 429,
        error: { type: 'requests', code: 'rate_limit_exceeded', message: 'Rate limit reached' },
        allow_fallbacks: false,
        extra_fields: { error_code: 'rate_limited', provider: 'openai', retries: 2 },
      });
      expect(JSON.parse(JSON.stringify(error))).toEqual(error.toBifrostError());
    });

    it('keeps a null upstream code as null', () => {
      const error = new GatewayError('provider_error', 'boom', { fromProvider: true, upstreamCode: null });
      expect(error.toBifrostError().error.code).toBeNull();
    });
  });

  describe('fromBifrostError', () => {
    it('round-trips the wire shape', () => {
      const original = new GatewayError('rate_limited', 'Rate limit reached', {
        statusCode: 429,
        fromProvider: true,
        upstreamType: 'requests',
        upstreamCode: 'rate_limit_exceeded',
        provider: 'openai',
        model: 'gpt-4o-mini',
        param: 'model',
        retries: 1,
        allowFallbacks: false,
      });
      const rebuilt = GatewayError.fromBifrostError(original.toBifrostError());
      expect(rebuilt.toBifrostError()).toEqual(original.toBifrostError());
      expect(rebuilt).toMatchObject({
        code: 'rate_limited',
        statusCode: 429,
        fromProvider: true,
        retryable: true,
        provider: 'openai',
        model: 'gpt-4o-mini',
        retries: 1,
        allowFallbacks: false,
      });
    });

    it('reads a plugin-made error with only a message as a provider_error', () => {
      const rebuilt = GatewayError.fromBifrostError({ is_bifrost_error: true, error: { message: 'nope' } });
      expect(rebuilt).toMatchObject({
        code: 'provider_error',
        statusCode: 502,
        message: 'nope',
        fromProvider: false,
      });
    });
  });
});

describe('allowsFallback', () => {
  const provider = (statusCode: number) =>
    new GatewayError(errorCodeForUpstreamStatus(statusCode), 'x', { statusCode, fromProvider: true });

  it('allows fallbacks after rate limits, server errors and network failures', () => {
    for (const status of [429, 500, 502, 503, 504]) expect(allowsFallback(provider(status))).toBe(true);
    expect(allowsFallback(new GatewayError('network_error', 'reset'))).toBe(true);
    expect(allowsFallback(new GatewayError('timeout', 'slow'))).toBe(true);
  });

  it('refuses fallbacks after other client errors', () => {
    for (const status of [400, 401, 403, 404, 422]) expect(allowsFallback(provider(status))).toBe(false);
  });

  it('refuses fallbacks when allow_fallbacks is false', () => {
    expect(
      allowsFallback(new GatewayError('provider_error', 'x', { statusCode: 503, allowFallbacks: false })),
    ).toBe(false);
  });

  it('allows fallbacks when allow_fallbacks is true, whatever the status', () => {
    expect(allowsFallback(new GatewayError('invalid_request', 'unsupported', { allowFallbacks: true }))).toBe(
      true,
    );
  });

  it('refuses fallbacks for a cancelled request or a gateway shutting down', () => {
    expect(allowsFallback(new GatewayError('cancelled', 'gone', { allowFallbacks: true }))).toBe(false);
    expect(allowsFallback(new GatewayError('shutting_down', 'bye'))).toBe(false);
  });
});

describe('error statuses', () => {
  it('maps every error code to an HTTP status', () => {
    for (const code of errorCodes) expect(httpStatusByErrorCode[code]).toBeGreaterThanOrEqual(400);
  });

  it('maps upstream statuses to error codes', () => {
    expect(errorCodeForUpstreamStatus(400)).toBe('invalid_request');
    expect(errorCodeForUpstreamStatus(422)).toBe('invalid_request');
    expect(errorCodeForUpstreamStatus(401)).toBe('authentication_failed');
    expect(errorCodeForUpstreamStatus(403)).toBe('permission_denied');
    expect(errorCodeForUpstreamStatus(404)).toBe('not_found');
    expect(errorCodeForUpstreamStatus(413)).toBe('payload_too_large');
    expect(errorCodeForUpstreamStatus(429)).toBe('rate_limited');
    expect(errorCodeForUpstreamStatus(503)).toBe('provider_unavailable');
    expect(errorCodeForUpstreamStatus(504)).toBe('timeout');
    expect(errorCodeForUpstreamStatus(500)).toBe('provider_error');
    expect(errorCodeForUpstreamStatus(418)).toBe('provider_error');
  });

  it('retries only rate limits and server-side failures', () => {
    expect([429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 404, 501].some(isRetryableStatus)).toBe(false);
  });
});

describe('abortedError', () => {
  it('answers cancelled when the caller aborted without a reason of ours', () => {
    const controller = new AbortController();
    controller.abort();
    expect(abortedError(controller.signal, 'gone', { provider: 'openai' }).code).toBe('cancelled');
  });

  it('answers with the GatewayError the caller aborted with, such as a passed deadline', () => {
    const controller = new AbortController();
    controller.abort(new GatewayError('timeout', 'the call deadline passed'));
    const error = abortedError(controller.signal, 'gone', { provider: 'openai', model: 'gpt-4o-mini' });
    expect(error).toMatchObject({
      code: 'timeout',
      statusCode: 504,
      message: 'the call deadline passed',
      model: 'gpt-4o-mini',
    });
  });
});
