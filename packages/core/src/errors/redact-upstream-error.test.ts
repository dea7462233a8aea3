import { describe, expect, it } from 'vitest';
import { upstreamError } from '../providers/kit/upstream-error.js';
import { GatewayError } from './gateway-error.js';
import { redactUpstreamError } from './redact-upstream-error.js';

const key = 'sk-live-0123456789';
const context = { provider: 'openai' as const, model: 'gpt-4o-mini' };

describe('redactUpstreamError', () => {
  it('redacts the message, type, code and param, keeping every other field', () => {
    const error = new GatewayError('authentication_failed', `bad key ${key}`, {
      ...context,
      statusCode: 401,
      fromProvider: true,
      upstreamType: `type ${key}`,
      upstreamCode: key,
      param: `${key}.x`,
      retryAfterMs: 5,
    });
    const redacted = redactUpstreamError(error, key);
    expect(redacted).toMatchObject({
      code: 'authentication_failed',
      statusCode: 401,
      message: 'bad key [redacted]',
      upstreamType: 'type [redacted]',
      upstreamCode: '[redacted]',
      param: '[redacted].x',
      fromProvider: true,
      retryAfterMs: 5,
      ...context,
    });
    expect(redacted.stack).not.toContain(key);
  });

  it('redacts the causes the internal-error log prints', () => {
    const inner = new SyntaxError(`Unexpected token in "${key}"`);
    const error = new GatewayError('internal', 'internal error', {
      cause: new Error('outer', { cause: inner }),
    });
    const cause = redactUpstreamError(error, key).cause as Error;
    expect(cause.message).toBe('outer');
    expect((cause.cause as Error).name).toBe('SyntaxError');
    expect((cause.cause as Error).message).toBe('Unexpected token in "[redacted]"');
  });

  it('turns a plain error carrying the key into a redacted GatewayError', () => {
    const redacted = redactUpstreamError(new TypeError(`no ${key}`), key) as GatewayError;
    expect(redacted).toBeInstanceOf(GatewayError);
    expect(redacted.message).toBe('internal error: no [redacted]');
    expect(String((redacted.cause as Error).message)).toBe('no [redacted]');
  });

  it('returns the same error when it holds no copy of the key, or the key is too short to redact', () => {
    const error = new GatewayError('provider_error', 'short key abc', { upstreamCode: 'abc' });
    expect(redactUpstreamError(error, key)).toBe(error);
    expect(redactUpstreamError(error, 'abc')).toBe(error);
    expect(redactUpstreamError(error, undefined)).toBe(error);
  });

  it('is what upstreamError applies to a non-2xx answer', () => {
    const error = upstreamError(400, {}, { message: key, type: key, code: key, param: key }, context, key);
    expect([error.message, error.upstreamType, error.upstreamCode, error.param]).toEqual(
      Array(4).fill('[redacted]'),
    );
  });
});
