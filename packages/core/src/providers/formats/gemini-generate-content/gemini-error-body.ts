import { isRecord } from '../../kit/is-record.js';
import type { ProviderErrorBody } from '../../kit/upstream-error.js';
import { googleErrorFromValue } from './gemini-api.js';

/** Reads Google's error envelope from a parsed body into the gateway's error parts. */
export function googleErrorBody(value: unknown): ProviderErrorBody | undefined {
  const error = googleErrorFromValue(value);
  if (error === undefined) return undefined;
  return {
    message: typeof error.message === 'string' ? error.message : JSON.stringify(error),
    type: typeof error.status === 'string' ? error.status : undefined,
    code: errorInfoReason(error.details),
  };
}

function errorInfoReason(details: unknown[] | undefined): string | undefined {
  if (!Array.isArray(details)) return undefined;
  for (const detail of details) {
    if (isRecord(detail) && typeof detail.reason === 'string') return detail.reason;
  }
  return undefined;
}
