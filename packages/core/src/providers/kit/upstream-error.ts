import type { ProviderName } from '@bifrost/schemas';
import { errorCodeForUpstreamStatus } from '../../errors/error-status.js';
import { GatewayError } from '../../errors/gateway-error.js';
import { parseRetryAfter } from '../../retry/backoff.js';

/** The parts of a provider's error body the gateway passes on, whatever the provider's dialect. */
export interface ProviderErrorBody {
  message: string;
  type?: string;
  code?: string | null;
  param?: string | null;
}

/** Upper bound on how much of an error body is read; error bodies are small, a huge one is not an error message. */
export const maxErrorBodyBytes = 64 * 1024;

/**
 * Turns a provider's non-2xx answer into a GatewayError that keeps its status, type, code, param, message and
 * `Retry-After`. Each provider parses its own body shape and hands the parts here.
 */
export function upstreamError(
  status: number,
  headers: Record<string, string | string[] | undefined>,
  body: ProviderErrorBody | undefined,
  context: { provider: ProviderName; model: string },
  /** The key the request was sent with: some servers echo it in their message, and it must not travel on. */
  secret?: string,
): GatewayError {
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

/** Parses an error body as JSON, bounded; text that is not JSON becomes the message itself. */
export function parseErrorText(
  text: string,
  fromValue: (value: unknown) => ProviderErrorBody | undefined,
): ProviderErrorBody | undefined {
  const bounded = text.length > maxErrorBodyBytes ? text.slice(0, maxErrorBodyBytes) : text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(bounded);
  } catch {
    const trimmed = bounded.trim();
    return trimmed === '' ? undefined : { message: trimmed.slice(0, 500) };
  }
  return fromValue(parsed);
}

/** Replaces every occurrence of a secret in a message. Short values are left alone: they would match by chance. */
export function redactSecret(message: string, secret: string | undefined): string {
  if (!secret || secret.length < 8 || !message.includes(secret)) return message;
  return message.split(secret).join('[redacted]');
}
