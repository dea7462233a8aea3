import { GatewayError, httpStatusByErrorCode } from '@bifrost/core';
import { errorCodes } from '@bifrost/schemas';
import { describe, expect, it } from 'vitest';
import { genAIErrorBody, genAIStatus, genAIStatusByCode } from './genai-error-body.js';

describe('genAIErrorBody', () => {
  it.each([
    [400, 'INVALID_ARGUMENT'],
    [401, 'UNAUTHENTICATED'],
    [403, 'PERMISSION_DENIED'],
    [404, 'NOT_FOUND'],
    [429, 'RESOURCE_EXHAUSTED'],
    [500, 'INTERNAL'],
    [502, 'INTERNAL'],
    [503, 'UNAVAILABLE'],
    [504, 'DEADLINE_EXCEEDED'],
  ])('names status %i %s', (status, name) => {
    expect(genAIStatus(status)).toBe(name);
  });

  it("writes the error in Google's envelope", () => {
    const error = new GatewayError('rate_limited', 'quota exceeded', { statusCode: 429 });
    expect(genAIErrorBody(error)).toEqual({
      error: { code: 429, message: 'quota exceeded', status: 'RESOURCE_EXHAUSTED' },
    });
  });

  it('names every error code as its own HTTP status would', () => {
    expect(Object.keys(genAIStatusByCode).sort()).toEqual([...errorCodes].sort());
    for (const code of errorCodes) {
      expect([code, genAIStatusByCode[code]]).toEqual([code, genAIStatus(httpStatusByErrorCode[code])]);
    }
  });

  it('follows a status the provider passed on rather than the code', () => {
    const error = new GatewayError('provider_error', 'busy', { statusCode: 409, fromProvider: true });
    expect(genAIErrorBody(error).error.status).toBe('ABORTED');
  });
});
