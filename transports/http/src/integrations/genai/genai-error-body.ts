import { type GatewayError, httpStatusByErrorCode } from '@bifrost/core';
import type { ErrorCode } from '@bifrost/schemas';

/** Google's error envelope, which the GenAI SDK raises as an `ApiError` carrying the HTTP status. */
export interface GenAIErrorBody {
  error: { code: number; message: string; status: string };
}

const statuses: Readonly<Record<number, string>> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  // Google has no 402; a spent budget is a quota running out, which it names so.
  402: 'RESOURCE_EXHAUSTED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  413: 'INVALID_ARGUMENT',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/** Google's canonical status name for an HTTP status (google.rpc.Code's HTTP mapping). */
export function genAIStatus(httpStatus: number): string {
  return statuses[httpStatus] ?? (httpStatus >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION');
}

/**
 * Google's status name of each failure kind at its own HTTP status: one entry per code, so a new code cannot go
 * out unnamed. A status a provider passed on (an upstream 409) is named by the status instead.
 */
export const genAIStatusByCode: Readonly<Record<ErrorCode, string>> = {
  invalid_request: 'INVALID_ARGUMENT',
  authentication_failed: 'UNAUTHENTICATED',
  permission_denied: 'PERMISSION_DENIED',
  not_found: 'NOT_FOUND',
  payload_too_large: 'INVALID_ARGUMENT',
  rate_limited: 'RESOURCE_EXHAUSTED',
  budget_exceeded: 'RESOURCE_EXHAUSTED',
  queue_full: 'RESOURCE_EXHAUSTED',
  // A 502: google.rpc.Code has no "bad gateway", and its HTTP mapping reads an unknown 5xx as INTERNAL.
  provider_error: 'INTERNAL',
  provider_unavailable: 'UNAVAILABLE',
  network_error: 'INTERNAL',
  timeout: 'DEADLINE_EXCEEDED',
  cancelled: 'CANCELLED',
  no_key_available: 'INVALID_ARGUMENT',
  provider_not_configured: 'INVALID_ARGUMENT',
  plugin_error: 'INTERNAL',
  shutting_down: 'UNAVAILABLE',
  internal: 'INTERNAL',
};

/** The error as Google writes it: `{error:{code,message,status}}`. */
export function genAIErrorBody(error: GatewayError): GenAIErrorBody {
  const code = error.statusCode === 499 ? 400 : error.statusCode;
  const status =
    error.statusCode === httpStatusByErrorCode[error.code]
      ? genAIStatusByCode[error.code]
      : genAIStatus(error.statusCode);
  return { error: { code, message: error.message, status } };
}
