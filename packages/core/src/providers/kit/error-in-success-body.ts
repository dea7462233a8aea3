import type { ProviderName } from '@bifrost/schemas';
import { GatewayError } from '../../errors/gateway-error.js';
import type { ProviderErrorBody } from './upstream-error.js';

/**
 * The error for a 2xx answer whose body is the provider's error envelope: some providers (and proxies in front
 * of them) report a failure with a success status. Keeps the provider's message, type and code.
 */
export function errorInSuccessBody(
  body: Partial<ProviderErrorBody> | undefined,
  provider: ProviderName,
  model: string,
): GatewayError {
  return new GatewayError('provider_error', body?.message ?? `${provider} returned an error`, {
    provider,
    model,
    fromProvider: true,
    upstreamType: body?.type,
    upstreamCode: body?.code,
  });
}
