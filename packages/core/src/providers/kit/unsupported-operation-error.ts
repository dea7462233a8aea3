import type { ProviderName } from '@bifrost/schemas';
import { GatewayError } from '../../errors/gateway-error.js';

/**
 * The error for an operation a provider does not offer, refused before any request is sent. Fallbacks stay
 * allowed, since another provider may well offer it.
 */
export function unsupportedOperationError(
  provider: ProviderName,
  /** The operation in words, as the message shows it: `text completions`, `embeddings`. */
  operation: string,
  model?: string,
  /** A hint appended in parentheses, such as what to use instead. */
  hint?: string,
): GatewayError {
  const suffix = hint === undefined ? '' : ` (${hint})`;
  return new GatewayError('invalid_request', `${provider} does not support ${operation}${suffix}`, {
    provider,
    model,
    allowFallbacks: true,
  });
}
