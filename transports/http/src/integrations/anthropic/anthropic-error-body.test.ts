import { GatewayError } from '@bifrost/core';
import { describe, expect, it } from 'vitest';
import { anthropicErrorBody, anthropicErrorType } from './anthropic-error-body.js';

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
});
