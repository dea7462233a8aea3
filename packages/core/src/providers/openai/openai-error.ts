import type { ProviderName } from '@bifrost/schemas';
import { errorCodeForUpstreamStatus } from '../../errors/error-status.js';
import { GatewayError } from '../../errors/gateway-error.js';
import { parseRetryAfter } from '../../retry/backoff.js';

/** Upper bound on how much of an error body is read; error bodies are small, a huge one is not an error message. */
const maxErrorBodyBytes = 64 * 1024;

/** The parts of an OpenAI-style error body the gateway passes on. */
interface ProviderErrorBody {
  message: string;
  type?: string;
  code?: string | null;
  param?: string | null;
}

/**
 * Turns a non-2xx answer from an OpenAI-compatible provider into a GatewayError that keeps the provider's
 * status, type, code, param and message, and its `Retry-After`.
 */
export function openAIErrorFromResponse(
  status: number,
  headers: Record<string, string | string[] | undefined>,
  bodyText: string,
  context: { provider: ProviderName; model: string },
  /** The key the request was sent with: some servers echo it in their message, and it must not travel on. */
  secret?: string,
): GatewayError {
  const body = parseErrorBody(
    bodyText.length > maxErrorBodyBytes ? bodyText.slice(0, maxErrorBodyBytes) : bodyText,
  );
  return new GatewayError(
    errorCodeForUpstreamStatus(status),
    redactSecret(body?.message ?? `${context.provider} answered HTTP ${status}`, secret),
    {
      ...context,
      statusCode: status,
      fromProvider: true,
      upstreamType: body?.type,
      upstreamCode: body?.code,
      param: body?.param ?? undefined,
      retryAfterMs: parseRetryAfter(headers['retry-after']),
    },
  );
}

/** Reads `{error:{message,type,code,param}}` and the looser shapes some compatible servers send. */
export function parseErrorBody(text: string): ProviderErrorBody | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    const trimmed = text.trim();
    return trimmed === '' ? undefined : { message: trimmed.slice(0, 500) };
  }
  return errorBodyFromValue(parsed);
}

/** Extracts an error from an already-parsed body; `undefined` when it carries none. */
export function errorBodyFromValue(value: unknown): ProviderErrorBody | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const error = record.error;
  if (typeof error === 'string') return { message: error };
  if (typeof error === 'object' && error !== null) {
    const inner = error as Record<string, unknown>;
    return {
      message: typeof inner.message === 'string' ? inner.message : JSON.stringify(inner),
      type: typeof inner.type === 'string' ? inner.type : undefined,
      code: typeof inner.code === 'string' ? inner.code : inner.code === null ? null : undefined,
      param: typeof inner.param === 'string' ? inner.param : null,
    };
  }
  if (typeof record.message === 'string') return { message: record.message };
  if (typeof record.detail === 'string') return { message: record.detail };
  return undefined;
}

/** Replaces every occurrence of a secret in a message. Short values are left alone: they would match by chance. */
export function redactSecret(message: string, secret: string | undefined): string {
  if (!secret || secret.length < 8 || !message.includes(secret)) return message;
  return message.split(secret).join('[redacted]');
}
