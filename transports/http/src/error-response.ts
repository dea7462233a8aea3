import { GatewayError } from '@bifrost/core';

/** The content type of every JSON answer. */
export const jsonContentType = 'application/json; charset=utf-8';

/** The error's body in upstream Bifrost's `BifrostError` shape. */
const bifrostErrorBody = (error: GatewayError): unknown => error.toBifrostError();

/**
 * The HTTP answer for any failure: the error in upstream Bifrost's `BifrostError` shape (or the body `toBody`
 * writes, for the SDK integrations' dialects), with its status. The message is the error's own; stacks and causes
 * stay in the logs, and keys never reach either.
 */
export function errorResponse(
  error: unknown,
  toBody: (error: GatewayError) => unknown = bifrostErrorBody,
): Response {
  const gatewayError = GatewayError.from(error);
  // A fresh object each time: the Node adapter adds Content-Length to it in place.
  const headers: Record<string, string> = { 'content-type': jsonContentType };
  if (gatewayError.headers !== undefined) Object.assign(headers, gatewayError.headers);
  if (gatewayError.retries !== undefined) headers['x-bf-retries'] = String(gatewayError.retries);
  if (
    gatewayError.retryAfterMs !== undefined &&
    gatewayError.statusCode === 429 &&
    !('retry-after' in headers)
  ) {
    headers['retry-after'] = String(Math.ceil(gatewayError.retryAfterMs / 1000));
  }
  // 499 is not a status the Fetch API's Response accepts; the caller has gone anyway.
  const status = gatewayError.statusCode === 499 ? 400 : gatewayError.statusCode;
  return new Response(JSON.stringify(toBody(gatewayError)), { status, headers });
}

/** A 4xx naming the request field at fault. */
export function invalidRequest(message: string, param?: string): GatewayError {
  return new GatewayError('invalid_request', param ? `${param}: ${message}` : message, { param });
}

/** The cause of an internal failure for the log: the thrown error's name and message, never its stack. */
export function describeCause(error: GatewayError): string {
  const cause = error.cause;
  return cause instanceof Error ? `${cause.name}: ${cause.message}` : error.message;
}
