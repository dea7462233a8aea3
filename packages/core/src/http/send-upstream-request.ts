import type { ProviderName } from '@bifrost/schemas';
import type { Dispatcher } from 'undici';
import { abortedError } from '../errors/abort-reason.js';
import { GatewayError } from '../errors/gateway-error.js';

/** One HTTP exchange with a provider. */
export interface UpstreamCall {
  dispatcher: Dispatcher;
  origin: string;
  path: string;
  method: 'GET' | 'POST';
  /** Flat `[name, value, name, value]` list: undici takes it without building a Headers object. */
  headers: string[];
  body?: string;
  signal?: AbortSignal;
  /** Milliseconds to wait for the response headers (and for each gap in the body, unless `bodyTimeoutMs` is set). */
  timeoutMs: number;
  /** Milliseconds allowed between two pieces of the body. @default timeoutMs */
  bodyTimeoutMs?: number;
  provider: ProviderName;
  model: string;
}

const networkErrorCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);
const timeoutErrorCodes = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);

/** Sends a request upstream; network failures become `network_error`, `timeout` or `cancelled`. */
export async function sendUpstreamRequest(call: UpstreamCall): Promise<Dispatcher.ResponseData> {
  try {
    return await call.dispatcher.request({
      origin: call.origin,
      path: call.path,
      method: call.method,
      headers: call.headers,
      body: call.body,
      signal: call.signal,
      headersTimeout: call.timeoutMs,
      bodyTimeout: call.bodyTimeoutMs ?? call.timeoutMs,
    });
  } catch (error) {
    throw toUpstreamError(error, call);
  }
}

/** Maps an error raised while talking to a provider (connecting, or reading a body) to a GatewayError. */
export function toUpstreamError(
  error: unknown,
  call: Pick<UpstreamCall, 'provider' | 'model' | 'signal'>,
  /** The provider answered and then went away (mid-body or mid-stream): say so, not that it was unreachable. */
  midStream = false,
): GatewayError {
  if (error instanceof GatewayError) return error;
  const { provider, model } = call;
  if (call.signal?.aborted) {
    return abortedError(call.signal, 'the request was cancelled by the caller', {
      provider,
      model,
      cause: error,
    });
  }
  const code = errorCode(error);
  if (code !== undefined && timeoutErrorCodes.has(code)) {
    return new GatewayError('timeout', `${provider} did not answer in time (${describe(code)})`, {
      provider,
      model,
      cause: error,
    });
  }
  if (code !== undefined && networkErrorCodes.has(code)) {
    const message = midStream
      ? `the connection to ${provider} broke before the answer was complete (${describe(code)})`
      : `could not reach ${provider}: ${describe(code)}`;
    return new GatewayError('network_error', message, {
      provider,
      model,
      cause: error,
    });
  }
  if (error instanceof Error && error.name === 'AbortError') {
    return new GatewayError('cancelled', 'the request was cancelled', { provider, model, cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new GatewayError('network_error', `request to ${provider} failed: ${message}`, {
    provider,
    model,
    cause: error,
  });
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  const cause = (error as { cause?: unknown }).cause;
  return cause === undefined ? undefined : errorCode(cause);
}

const descriptions: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed while sending',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_SOCKET: 'connection closed unexpectedly',
  UND_ERR_CLOSED: 'connection closed',
  UND_ERR_CONNECT_TIMEOUT: 'connect timeout',
  UND_ERR_HEADERS_TIMEOUT: 'no response headers before the timeout',
  UND_ERR_BODY_TIMEOUT: 'response body stalled past the timeout',
  ETIMEDOUT: 'connection timed out',
};

function describe(code: string): string {
  return descriptions[code] ?? code;
}
