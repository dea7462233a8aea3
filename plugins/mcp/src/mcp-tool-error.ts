import type { BifrostError, ErrorCode } from '@bifrost/schemas';

/** The failure kinds of tool execution, a subset of the gateway's closed set. */
export type McpToolErrorCode = Extract<
  ErrorCode,
  | 'invalid_request'
  | 'not_found'
  | 'permission_denied'
  | 'timeout'
  | 'cancelled'
  | 'provider_unavailable'
  | 'network_error'
>;

const statusByCode: Readonly<Record<McpToolErrorCode, number>> = {
  invalid_request: 400,
  not_found: 404,
  permission_denied: 403,
  timeout: 504,
  // 499 is not a status the Fetch API accepts; the caller has gone anyway.
  cancelled: 400,
  provider_unavailable: 503,
  network_error: 502,
};

/** A tool call that could not be run; data in fields, mapped to an HTTP answer in one place. */
export class McpToolError extends Error {
  override readonly name = 'McpToolError';
  readonly code: McpToolErrorCode;
  /** The tool-call field at fault (`function.arguments`), for 4xx answers. */
  readonly param: string | undefined;

  constructor(code: McpToolErrorCode, message: string, options: { param?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.param = options.param;
  }

  /** The HTTP status of this failure. */
  get statusCode(): number {
    return statusByCode[this.code];
  }

  /** The gateway's wire shape of an error, as its own routes answer. */
  toBifrostError(): BifrostError {
    return {
      is_bifrost_error: true,
      status_code: this.statusCode,
      error: { type: this.code, message: this.message, param: this.param ?? null },
      extra_fields: { error_code: this.code },
    };
  }

  /** The JSON answer of a plugin route that failed with this error. */
  toResponse(): Response {
    return new Response(JSON.stringify(this.toBifrostError()), {
      status: this.statusCode,
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
  }
}
