import { type GatewayError, httpStatusByErrorCode } from '@bifrost/core';
import type { ErrorCode } from '@bifrost/schemas';

/** Anthropic's error envelope, which its SDKs read into typed errors by HTTP status. */
export interface AnthropicErrorBody {
  type: 'error';
  error: { type: string; message: string };
}

const errorTypes: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

/** Anthropic's error `type` for an HTTP status, as its API reference lists them. */
export function anthropicErrorType(status: number): string {
  return errorTypes[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

/**
 * Anthropic's error `type` of each failure kind at its own HTTP status: one entry per code, so a new code cannot
 * go out untyped. A status a provider passed on (Anthropic's 529, an upstream 409) is typed by the status instead.
 */
export const anthropicErrorTypeByCode: Readonly<Record<ErrorCode, string>> = {
  invalid_request: 'invalid_request_error',
  authentication_failed: 'authentication_error',
  permission_denied: 'permission_error',
  not_found: 'not_found_error',
  payload_too_large: 'request_too_large',
  rate_limited: 'rate_limit_error',
  budget_exceeded: 'billing_error',
  queue_full: 'rate_limit_error',
  provider_error: 'api_error',
  provider_unavailable: 'api_error',
  network_error: 'api_error',
  timeout: 'api_error',
  // The caller has gone; whatever is still written reads as its own request's fault.
  cancelled: 'invalid_request_error',
  no_key_available: 'invalid_request_error',
  provider_not_configured: 'invalid_request_error',
  plugin_error: 'api_error',
  shutting_down: 'api_error',
  internal: 'api_error',
};

/** The error as Anthropic writes it: `{type:"error",error:{type,message}}`. */
export function anthropicErrorBody(error: GatewayError): AnthropicErrorBody {
  const type =
    error.statusCode === httpStatusByErrorCode[error.code]
      ? anthropicErrorTypeByCode[error.code]
      : anthropicErrorType(error.statusCode);
  return { type: 'error', error: { type, message: error.message } };
}
