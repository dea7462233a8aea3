import type { ErrorCode } from '@bifrost/schemas';

/** The HTTP status each failure kind answers with when the provider gave none. */
export const httpStatusByErrorCode: Readonly<Record<ErrorCode, number>> = {
  invalid_request: 400,
  authentication_failed: 401,
  permission_denied: 403,
  not_found: 404,
  payload_too_large: 413,
  rate_limited: 429,
  queue_full: 429,
  provider_error: 502,
  provider_unavailable: 503,
  network_error: 502,
  timeout: 504,
  // 499 is the de-facto "client closed request"; nobody reads it, but logs and metrics do.
  cancelled: 499,
  no_key_available: 400,
  provider_not_configured: 400,
  plugin_error: 500,
  shutting_down: 503,
  internal: 500,
};

/** The failure kind of an upstream HTTP status. */
export function errorCodeForUpstreamStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
    case 422:
      return 'invalid_request';
    case 401:
      return 'authentication_failed';
    case 403:
      return 'permission_denied';
    case 404:
      return 'not_found';
    case 413:
      return 'payload_too_large';
    case 429:
      return 'rate_limited';
    case 503:
      return 'provider_unavailable';
    case 504:
      return 'timeout';
    default:
      return 'provider_error';
  }
}

const retryableUpstreamStatuses = new Set([429, 500, 502, 503, 504]);

/** Whether an upstream status is worth retrying: rate limits and server-side failures. */
export function isRetryableStatus(status: number): boolean {
  return retryableUpstreamStatuses.has(status);
}
