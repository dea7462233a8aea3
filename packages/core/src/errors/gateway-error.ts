import type { BifrostError, ErrorCode, ProviderName } from '@bifrost/schemas';
import { httpStatusByErrorCode, isRetryableStatus } from './error-status.js';

/** Everything a {@link GatewayError} can carry besides its code and message. */
export interface GatewayErrorOptions {
  /** The HTTP status to answer with; defaults to the code's status. */
  statusCode?: number;
  provider?: ProviderName;
  model?: string;
  /** Whether another attempt may succeed; defaults from the code and status. */
  retryable?: boolean;
  /** How long the provider asked us to wait before trying again. */
  retryAfterMs?: number;
  /** The request field at fault. */
  param?: string;
  /** The provider's own error type and code, passed on unchanged. */
  upstreamType?: string;
  upstreamCode?: string | null;
  /** True when the error came from the provider rather than from the gateway. */
  fromProvider?: boolean;
  /** False when a plugin forbade trying fallbacks after this error. */
  allowFallbacks?: boolean;
  retries?: number;
  /**
   * The name of the decision that refused the request (governance's `budget_exceeded`, `model_blocked`), sent as
   * the wire shape's top-level `type` as upstream Bifrost does.
   */
  decision?: string;
  /** Response headers the answer carries, e.g. `retry-after` and `x-ratelimit-*` on a governance refusal. */
  headers?: Readonly<Record<string, string>>;
  cause?: unknown;
}

const retryableCodes: ReadonlySet<ErrorCode> = new Set(['network_error', 'timeout', 'provider_unavailable']);

/**
 * The one error class of the gateway: a closed {@link ErrorCode} plus data in fields. Anything caught is
 * normalised with {@link GatewayError.from}; the wire shape is {@link GatewayError.toBifrostError}.
 */
export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  readonly code: ErrorCode;
  readonly statusCode: number;
  readonly provider: ProviderName | undefined;
  readonly model: string | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly param: string | undefined;
  readonly upstreamType: string | undefined;
  readonly upstreamCode: string | null | undefined;
  readonly fromProvider: boolean;
  readonly allowFallbacks: boolean | undefined;
  readonly decision: string | undefined;
  readonly headers: Readonly<Record<string, string>> | undefined;
  retries: number | undefined;

  constructor(code: ErrorCode, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.statusCode = options.statusCode ?? httpStatusByErrorCode[code];
    this.provider = options.provider;
    this.model = options.model;
    this.retryable =
      options.retryable ??
      (retryableCodes.has(code) || (options.fromProvider === true && isRetryableStatus(this.statusCode)));
    this.retryAfterMs = options.retryAfterMs;
    this.param = options.param;
    this.upstreamType = options.upstreamType;
    this.upstreamCode = options.upstreamCode;
    this.fromProvider = options.fromProvider ?? false;
    this.allowFallbacks = options.allowFallbacks;
    this.retries = options.retries;
    this.decision = options.decision;
    this.headers = options.headers;
  }

  /** Normalises anything thrown into a GatewayError, keeping the original as `cause`. */
  static from(error: unknown, context: { provider?: ProviderName; model?: string } = {}): GatewayError {
    if (error instanceof GatewayError) return error;
    if (error instanceof Error && (error.name === 'AbortError' || error.name === 'RequestAbortedError')) {
      return new GatewayError('cancelled', 'the request was cancelled by the caller', {
        ...context,
        cause: error,
      });
    }
    if (error instanceof RangeError && error.message.includes('call stack')) {
      // Only input nested thousands of levels deep gets here (JSON.parse copes, JSON.stringify does not).
      return new GatewayError('invalid_request', 'the request nests too deeply to be processed', {
        ...context,
        cause: error,
      });
    }
    const message = error instanceof Error ? error.message : String(error);
    return new GatewayError('internal', `internal error: ${message}`, { ...context, cause: error });
  }

  /** Rebuilds a GatewayError from the wire shape, e.g. one a plugin returned, with the headers its answer carries. */
  static fromBifrostError(error: BifrostError, headers?: Readonly<Record<string, string>>): GatewayError {
    const code = error.extra_fields?.error_code ?? 'provider_error';
    return new GatewayError(code, error.error.message, {
      statusCode: error.status_code,
      provider: error.extra_fields?.provider,
      model: error.extra_fields?.model,
      param: error.error.param ?? undefined,
      upstreamType: error.error.type,
      upstreamCode: error.error.code,
      fromProvider: !error.is_bifrost_error,
      allowFallbacks: error.allow_fallbacks,
      retries: error.extra_fields?.retries,
      decision: error.type,
      headers,
    });
  }

  /** The error in upstream Bifrost's wire shape. */
  toBifrostError(): BifrostError {
    const wire: BifrostError = {
      is_bifrost_error: !this.fromProvider,
      status_code: this.statusCode,
      error: {
        type: this.upstreamType ?? this.code,
        code: this.upstreamCode === undefined ? this.code : this.upstreamCode,
        message: this.message,
      },
      extra_fields: { error_code: this.code },
    };
    if (this.decision !== undefined) wire.type = this.decision;
    if (this.param !== undefined) wire.error.param = this.param;
    if (this.allowFallbacks !== undefined) wire.allow_fallbacks = this.allowFallbacks;
    const extra = wire.extra_fields!;
    if (this.provider !== undefined) extra.provider = this.provider;
    if (this.model !== undefined) extra.model = this.model;
    if (this.retries !== undefined) extra.retries = this.retries;
    return wire;
  }

  toJSON(): BifrostError {
    return this.toBifrostError();
  }
}

/** Whether a failed attempt may be followed by the next fallback: server-side, network and rate-limit failures. */
export function allowsFallback(error: GatewayError): boolean {
  if (error.allowFallbacks === false || error.code === 'cancelled' || error.code === 'shutting_down')
    return false;
  // An explicit yes (an operation the provider lacks, or a plugin's say-so) outranks the status rule.
  if (error.allowFallbacks === true) return true;
  return error.statusCode === 429 || error.statusCode >= 500;
}
