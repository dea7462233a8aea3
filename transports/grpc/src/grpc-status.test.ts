import { GatewayError } from '@bifrost/core';
import { errorCodes } from '@bifrost/schemas';
import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { bifrostErrorMetadataKey, grpcStatusByErrorCode, toServiceError } from './grpc-status.js';

describe('grpcStatusByErrorCode', () => {
  it('has a gRPC status for every error code', () => {
    expect(Object.keys(grpcStatusByErrorCode).sort()).toEqual([...errorCodes].sort());
    for (const code of errorCodes) expect(status[grpcStatusByErrorCode[code]]).toBeDefined();
  });

  it('maps the codes callers act on to their standard statuses', () => {
    expect(grpcStatusByErrorCode).toMatchObject({
      invalid_request: status.INVALID_ARGUMENT,
      authentication_failed: status.UNAUTHENTICATED,
      permission_denied: status.PERMISSION_DENIED,
      not_found: status.NOT_FOUND,
      rate_limited: status.RESOURCE_EXHAUSTED,
      queue_full: status.RESOURCE_EXHAUSTED,
      budget_exceeded: status.RESOURCE_EXHAUSTED,
      timeout: status.DEADLINE_EXCEEDED,
      cancelled: status.CANCELLED,
      provider_unavailable: status.UNAVAILABLE,
      network_error: status.UNAVAILABLE,
      provider_not_configured: status.FAILED_PRECONDITION,
    });
  });
});

describe('toServiceError', () => {
  it('puts the status, the message and the BifrostError in the trailer', () => {
    const error = new GatewayError('invalid_request', 'messages: must contain at least one message', {
      param: 'messages',
    });
    const serviceError = toServiceError(error);
    expect(serviceError.code).toBe(status.INVALID_ARGUMENT);
    expect(serviceError.details).toBe('messages: must contain at least one message');
    const trailer = serviceError.metadata?.get(bifrostErrorMetadataKey)[0];
    expect(JSON.parse(trailer as string)).toEqual(error.toBifrostError());
  });

  it('escapes characters outside ASCII so the trailer is a legal metadata value', () => {
    const serviceError = toServiceError(new GatewayError('provider_error', 'Modèle indisponible ☂'));
    const trailer = serviceError.metadata?.get(bifrostErrorMetadataKey)[0] as string;
    expect(trailer).toMatch(/^[\x20-\x7e]*$/);
    expect(JSON.parse(trailer).error.message).toBe('Modèle indisponible ☂');
  });

  it('normalises anything thrown to an internal error', () => {
    expect(toServiceError(new Error('boom')).code).toBe(status.INTERNAL);
  });
});
