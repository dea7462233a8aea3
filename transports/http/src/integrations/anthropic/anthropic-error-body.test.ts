import { GatewayError, httpStatusByErrorCode } from '@bifrost/core';
import { errorCodes } from '@bifrost/schemas';
import { describe, expect, it } from 'vitest';
import { anthropicErrorBody, anthropicErrorType, anthropicErrorTypeByCode } from './anthropic-error-body.js';

describe('anthropicErrorBody', () => {
  it.each([
    [400, 'invalid_request_error'],
    [401, 'authentication_error'],
    [403, 'permission_error'],
    [404, 'not_found_error'],
    [413, 'request_too_large'],
    [429, 'rate_limit_error'],
    [500, 'api_error'],
    [502, 'api_error'],
    [529, 'overloaded_error'],
    [422, 'invalid_request_error'],
  ])('types status %i as %s', (status, type) => {
    expect(anthropicErrorType(status)).toBe(type);
  });

  it("writes the error in Anthropic's envelope", () => {
    const error = new GatewayError('invalid_request', 'max_tokens: is required', { param: 'max_tokens' });
    expect(anthropicErrorBody(error)).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'max_tokens: is required' },
    });
  });

  it('names every error code as its own HTTP status would', () => {
    expect(Object.keys(anthropicErrorTypeByCode).sort()).toEqual([...errorCodes].sort());
    for (const code of errorCodes) {
      expect([code, anthropicErrorTypeByCode[code]]).toEqual([
        code,
        anthropicErrorType(httpStatusByErrorCode[code]),
      ]);
    }
  });

  it('follows a status the provider passed on rather than the code', () => {
    const error = new GatewayError('provider_error', 'busy', { statusCode: 409, fromProvider: true });
    expect(anthropicErrorBody(error).error.type).toBe('invalid_request_error');
    const overloaded = new GatewayError('provider_unavailable', 'overloaded', {
      statusCode: 529,
      fromProvider: true,
    });
    expect(anthropicErrorBody(overloaded).error.type).toBe('overloaded_error');
  });
});
