import { GatewayError } from '@bifrost/core';
import type { Logger } from '@bifrost/schemas';
import { describeCause, errorResponse } from '../error-response.js';
import type { HttpContext } from '../http-env.js';

/** Writes a gateway error as one API dialect's error body. */
export type ErrorBodyWriter = (error: GatewayError) => unknown;

/**
 * Wraps a route handler so that any failure is answered in the caller's dialect, with the error's HTTP status,
 * and the official SDK raises its own typed error. Internal failures are logged as the app's own handler does.
 */
export function dialectHandler(
  toBody: ErrorBodyWriter,
  logger: Logger | undefined,
  handle: (c: HttpContext) => Promise<Response>,
): (c: HttpContext) => Promise<Response> {
  return async (c) => {
    try {
      return await handle(c);
    } catch (error) {
      const gatewayError = GatewayError.from(error);
      if (gatewayError.code === 'internal') {
        logger?.error('request failed', { error: describeCause(gatewayError) });
      }
      return errorResponse(gatewayError, toBody);
    }
  };
}
