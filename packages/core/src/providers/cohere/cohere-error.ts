import type { ProviderName } from '@bifrost/schemas';
import { GatewayError } from '../../errors/gateway-error.js';
import { errorReaderFor } from '../kit/error-reader-for.js';
import type { ProviderErrorBody } from '../kit/upstream-error.js';

/**
 * Turns a non-2xx Cohere answer (`{"message": …}`, sometimes with an `id`) into a GatewayError that keeps the
 * status, the message and `retry-after`, with the key redacted.
 */
export const cohereErrorFromResponse = errorReaderFor(cohereErrorBodyFromValue);

/** Reads Cohere's error body from an already-parsed value; `undefined` when it carries no message. */
export function cohereErrorBodyFromValue(value: unknown): ProviderErrorBody | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { message } = value as { message?: unknown };
  return typeof message === 'string' ? { message } : undefined;
}

/** The error for a generation Cohere reports as failed (`finish_reason: ERROR`, or `error` in `message-end`). */
export function cohereGenerationError(
  message: string | undefined,
  context: { provider: ProviderName; model: string },
): GatewayError {
  return new GatewayError(
    'provider_error',
    message || `${context.provider} reported that the generation failed`,
    {
      ...context,
      statusCode: 502,
      fromProvider: true,
    },
  );
}
