import type { GatewayError } from '@bifrost/core';
import type { ErrorCode } from '@bifrost/schemas';

/** OpenAI's error envelope, which its SDKs read into typed errors by HTTP status. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; code: string | null; param: string | null };
}

/** OpenAI's `error.type` for failures the gateway produced itself; a provider's own type is passed on. */
const openAIErrorTypes: Readonly<Record<ErrorCode, string>> = {
  invalid_request: 'invalid_request_error',
  authentication_failed: 'authentication_error',
  permission_denied: 'permission_error',
  not_found: 'not_found_error',
  payload_too_large: 'invalid_request_error',
  rate_limited: 'rate_limit_error',
  // What OpenAI answers when an account's credit has run out.
  budget_exceeded: 'insufficient_quota',
  queue_full: 'rate_limit_error',
  provider_error: 'server_error',
  provider_unavailable: 'server_error',
  network_error: 'server_error',
  timeout: 'server_error',
  cancelled: 'invalid_request_error',
  no_key_available: 'invalid_request_error',
  provider_not_configured: 'invalid_request_error',
  plugin_error: 'server_error',
  shutting_down: 'server_error',
  internal: 'server_error',
};

/** The error as OpenAI writes it: `{error:{message,type,code,param}}`. */
export function openAIErrorBody(error: GatewayError): OpenAIErrorBody {
  return {
    error: {
      message: error.message,
      type: error.upstreamType ?? openAIErrorTypes[error.code],
      code: error.upstreamCode === undefined ? error.code : error.upstreamCode,
      param: error.param ?? null,
    },
  };
}
