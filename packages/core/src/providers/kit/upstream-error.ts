import type { ProviderName } from '@bifrost/schemas';
import { errorCodeForUpstreamStatus } from '../../errors/error-status.js';
import { GatewayError } from '../../errors/gateway-error.js';
import { redactUpstreamError } from '../../errors/redact-upstream-error.js';
import { parseRetryAfter } from '../../retry/backoff.js';

/** The parts of a provider's error body the gateway passes on, whatever the provider's dialect. */
export interface ProviderErrorBody {
  message: string;
  type?: string;
  code?: string | null;
  param?: string | null;
}

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
  const error = new GatewayError(
    errorCodeForUpstreamStatus(status),
    body?.message ?? `${context.provider} answered HTTP ${status}`,
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
  return redactUpstreamError(error, secret);
}
