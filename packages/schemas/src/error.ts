import type { ProviderName } from './provider.js';

/**
 * The closed set of failure kinds. Every error the gateway reports has exactly one; transports map each to an
 * HTTP status, a gRPC code and each API dialect's error body in one place.
 */
export const errorCodes = [
  'invalid_request',
  'authentication_failed',
  'permission_denied',
  'not_found',
  'payload_too_large',
  'rate_limited',
  'budget_exceeded',
  'queue_full',
  'provider_error',
  'provider_unavailable',
  'network_error',
  'timeout',
  'cancelled',
  'no_key_available',
  'provider_not_configured',
  'plugin_error',
  'shutting_down',
  'internal',
] as const;

/** One failure kind. */
export type ErrorCode = (typeof errorCodes)[number];

/**
 * An error as it travels on the wire and through plugins, in upstream Bifrost's shape.
 *
 * `is_bifrost_error` is false when the provider produced the error (its status and message are passed on)
 * and true when the gateway itself refused or failed the request.
 */
export interface BifrostError {
  event_id?: string;
  type?: string;
  is_bifrost_error: boolean;
  status_code?: number;
  error: {
    /** The provider's error type, or the gateway's error code. */
    type?: string;
    code?: string | null;
    message: string;
    /** The request field at fault, as a dotted path (`messages[0].role`). */
    param?: string | null;
  };
  /** Whether fallbacks may be tried after this error; absent means yes for retryable errors. */
  allow_fallbacks?: boolean;
  extra_fields?: {
    provider?: ProviderName;
    model?: string;
    retries?: number;
    error_code?: ErrorCode;
  };
}
