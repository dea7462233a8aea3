import type { GatewayError } from '@bifrost/core';

/** Google's error envelope, which the GenAI SDK raises as an `ApiError` carrying the HTTP status. */
export interface GenAIErrorBody {
  error: { code: number; message: string; status: string };
}

const statuses: Readonly<Record<number, string>> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
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

/** The error as Google writes it: `{error:{code,message,status}}`. */
export function genAIErrorBody(error: GatewayError): GenAIErrorBody {
  const code = error.statusCode === 499 ? 400 : error.statusCode;
  return { error: { code, message: error.message, status: genAIStatus(error.statusCode) } };
}
