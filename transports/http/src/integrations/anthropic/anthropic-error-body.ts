import type { GatewayError } from '@bifrost/core';

/** Anthropic's error envelope, which its SDKs read into typed errors by HTTP status. */
export interface AnthropicErrorBody {
  type: 'error';
  error: { type: string; message: string };
}

const errorTypes: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
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

/** The error as Anthropic writes it: `{type:"error",error:{type,message}}`, the type following the status. */
export function anthropicErrorBody(error: GatewayError): AnthropicErrorBody {
  return { type: 'error', error: { type: anthropicErrorType(error.statusCode), message: error.message } };
}
