import { GatewayError } from './gateway-error.js';
import { redactSecret } from './redact-secret.js';

/** How deep a chain of causes is followed; real chains are one or two long. */
const maxCauseDepth = 4;

/**
 * The one place a key is taken out of an upstream error: its message, `type`, `code`, `param` and the messages of
 * its causes (which the internal-error log prints) all have every occurrence of `secret` replaced by
 * `[redacted]`. Applied wherever the key is known: when a non-2xx answer is read (`upstreamError`), and by the
 * engine's retry loop around every provider call and every stream it hands on, which also covers errors in 2xx
 * bodies and in streams.
 * Anything that is not a GatewayError and carries the key becomes one. Returns the error itself when it holds no
 * copy of the key.
 */
export function redactUpstreamError(error: GatewayError, secret: string | undefined): GatewayError;
export function redactUpstreamError(error: unknown, secret: string | undefined): unknown;
export function redactUpstreamError(error: unknown, secret: string | undefined): unknown {
  if (!secret || redactSecret(secret, secret) === secret) return error; // too short to redact safely
  if (!(error instanceof GatewayError)) {
    return redactCause(error, secret, 0) === error
      ? error
      : redactUpstreamError(GatewayError.from(error), secret);
  }
  const message = redactSecret(error.message, secret);
  const upstreamType = redactOptional(error.upstreamType, secret);
  const upstreamCode = redactOptional(error.upstreamCode, secret);
  const param = redactOptional(error.param, secret);
  const cause = redactCause(error.cause, secret, 0);
  if (
    message === error.message &&
    upstreamType === error.upstreamType &&
    upstreamCode === error.upstreamCode &&
    param === error.param &&
    cause === error.cause
  ) {
    return error;
  }
  return new GatewayError(error.code, message, {
    statusCode: error.statusCode,
    provider: error.provider,
    model: error.model,
    retryable: error.retryable,
    retryAfterMs: error.retryAfterMs,
    param,
    upstreamType,
    upstreamCode,
    fromProvider: error.fromProvider,
    allowFallbacks: error.allowFallbacks,
    retries: error.retries,
    cause,
  });
}

function redactOptional<Value extends string | null | undefined>(value: Value, secret: string): Value {
  return (typeof value === 'string' ? redactSecret(value, secret) : value) as Value;
}

/** The cause, or a plain copy of it (same name, redacted message and causes) when it holds the key. */
function redactCause(cause: unknown, secret: string, depth: number): unknown {
  if (typeof cause === 'string') return redactSecret(cause, secret);
  if (!(cause instanceof Error) || depth >= maxCauseDepth) return cause;
  const message = redactSecret(cause.message, secret);
  const inner = redactCause(cause.cause, secret, depth + 1);
  const stackHolds = cause.stack?.includes(secret) === true;
  if (message === cause.message && inner === cause.cause && !stackHolds) return cause;
  if (cause instanceof GatewayError) return redactUpstreamError(cause, secret);
  const copy = new Error(message, inner === undefined ? undefined : { cause: inner });
  copy.name = cause.name;
  return copy;
}
