import { STATUS_CODES } from 'node:http';
import { readOpenAIFixture } from './openai-fixtures.js';

/** OpenAI's error envelope, as documented for every non-2xx answer. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** Fields of an OpenAI error; each one left undefined takes the documented example's value for the status. */
export interface OpenAIErrorFields {
  type?: string;
  code?: string | null;
  message?: string;
  param?: string | null;
}

// The documented example used as the default body for each status a test is likely to script.
const fixtureByStatus: Readonly<Record<number, string>> = {
  400: 'error-400-missing-parameter',
  401: 'error-401-invalid-api-key',
  403: 'error-403-unsupported-region',
  404: 'error-404-model-not-found',
  429: 'error-429-rate-limit',
  500: 'error-500-server-error',
  503: 'error-503-overloaded',
};

/**
 * Builds OpenAI's error body for `status`, starting from the documented example for that status.
 *
 * Statuses without an example get `server_error` (5xx) or `invalid_request_error` (4xx) and the reason phrase.
 * @example
 * openAIErrorBody(429, { type: 'tokens' }); // the documented RPM body, with type "tokens"
 */
export function openAIErrorBody(status: number, fields: OpenAIErrorFields = {}): OpenAIErrorBody {
  const fixture = fixtureByStatus[status];
  const base: OpenAIErrorBody['error'] = fixture
    ? readOpenAIFixture<OpenAIErrorBody>(fixture).error
    : {
        message: STATUS_CODES[status] ?? `HTTP ${status}`,
        type: status >= 500 ? 'server_error' : 'invalid_request_error',
        param: null,
        code: null,
      };
  return {
    error: {
      message: fields.message ?? base.message,
      type: fields.type ?? base.type,
      param: fields.param !== undefined ? fields.param : base.param,
      code: fields.code !== undefined ? fields.code : base.code,
    },
  };
}
