import type { ProviderName } from '@bifrost/schemas';
import { GatewayError } from '../../errors/gateway-error.js';

/**
 * The error for a 2xx body that does not have the shape the provider's API reference documents. It is the
 * provider's fault, so the caller sees a 502.
 */
export function malformedResponseError(provider: ProviderName, model: string, detail: string): GatewayError {
  return new GatewayError('provider_error', `${provider} returned a malformed response: ${detail}`, {
    provider,
    model,
    statusCode: 502,
  });
}
