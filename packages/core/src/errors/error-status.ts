import type { ErrorCode } from '@bifrost/schemas';

/** The HTTP status each failure kind answers with when the provider gave none. */
export const httpStatusByErrorCode: Readonly<Record<ErrorCode, number>> = {
  invalid_request: 400,
  authentication_failed: 401,
  permission_denied: 403,
  not_found: 404,
  payload_too_large: 413,
  rate_limited: 429,
  // A spend cap ran out: upstream Bifrost's governance answers 402 Payment Required.
  budget_exceeded: 402,
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

/** gRPC status codes by name (grpc/status.proto), so the map below reads like the spec without importing grpc-js. */
export const grpcCodes = {
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

/** The gRPC status each failure kind answers with, beside its HTTP status so the two never disagree. */
export const grpcCodeByErrorCode: Readonly<Record<ErrorCode, number>> = {
  invalid_request: grpcCodes.INVALID_ARGUMENT,
  authentication_failed: grpcCodes.UNAUTHENTICATED,
  permission_denied: grpcCodes.PERMISSION_DENIED,
  not_found: grpcCodes.NOT_FOUND,
  // gRPC itself answers RESOURCE_EXHAUSTED for a message over the size limit.
  payload_too_large: grpcCodes.RESOURCE_EXHAUSTED,
  rate_limited: grpcCodes.RESOURCE_EXHAUSTED,
  budget_exceeded: grpcCodes.RESOURCE_EXHAUSTED,
  queue_full: grpcCodes.RESOURCE_EXHAUSTED,
  // The provider failed without saying how: gRPC's "error from another address space".
  provider_error: grpcCodes.UNKNOWN,
  provider_unavailable: grpcCodes.UNAVAILABLE,
  network_error: grpcCodes.UNAVAILABLE,
  timeout: grpcCodes.DEADLINE_EXCEEDED,
  cancelled: grpcCodes.CANCELLED,
  // Both say the gateway's configuration does not allow the request, not that a resource is missing.
  no_key_available: grpcCodes.FAILED_PRECONDITION,
  provider_not_configured: grpcCodes.FAILED_PRECONDITION,
  plugin_error: grpcCodes.INTERNAL,
  shutting_down: grpcCodes.UNAVAILABLE,
  internal: grpcCodes.INTERNAL,
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
    // Anthropic's `overloaded_error`: the service is busy for everyone, as with a 503.
    case 529:
      return 'provider_unavailable';
    case 504:
      return 'timeout';
    default:
      return 'provider_error';
  }
}

const retryableUpstreamStatuses = new Set([429, 500, 502, 503, 504, 529]);

/** Whether an upstream status is worth retrying: rate limits and server-side failures. */
export function isRetryableStatus(status: number): boolean {
  return retryableUpstreamStatuses.has(status);
}
