import type { ProviderErrorBody } from '../../kit/upstream-error.js';

/** Reads Anthropic's error envelope from an already-parsed value; `undefined` when it carries none. */
export function anthropicErrorBodyFromValue(value: unknown): ProviderErrorBody | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const error = (value as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return undefined;
  const { type, message } = error as { type?: unknown; message?: unknown };
  return {
    message: typeof message === 'string' ? message : JSON.stringify(error),
    type: typeof type === 'string' ? type : undefined,
  };
}

/** The HTTP status each documented error type comes with, for errors that arrive inside a stream. */
const statusByErrorType: Readonly<Record<string, number>> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

/** The status an error event in a stream stands for; an unknown type counts as a server error. */
export function statusForAnthropicErrorType(type: string | undefined): number {
  return (type !== undefined && statusByErrorType[type]) || 500;
}
