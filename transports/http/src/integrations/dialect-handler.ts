import { GatewayError } from '@bifrost/core';
import type { Logger } from '@bifrost/schemas';
import { errorResponse } from '../error-response.js';
import type { IntegrationRequest } from './integration-context.js';

/** Writes a gateway error as one API dialect's error body. */
export type ErrorBodyWriter = (error: GatewayError) => unknown;

/**
 * Wraps a route handler so that any failure is answered in the caller's dialect, with the error's HTTP status,
 * and the official SDK raises its own typed error. Internal failures are logged as the app's own handler does.
 */
export function dialectHandler(
  toBody: ErrorBodyWriter,
  logger: Logger | undefined,
  handle: (c: IntegrationRequest) => Promise<Response>,
): (c: IntegrationRequest) => Promise<Response> {
  return async (c) => {
    try {
      return await handle(c);
    } catch (error) {
      const gatewayError = GatewayError.from(error);
      if (gatewayError.code === 'internal') {
        const cause = gatewayError.cause;
        logger?.error('request failed', {
          error: cause instanceof Error ? `${cause.name}: ${cause.message}` : gatewayError.message,
        });
      }
      return errorResponse(gatewayError, toBody);
    }
  };
}
