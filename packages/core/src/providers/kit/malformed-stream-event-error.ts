import { GatewayError } from '../../errors/gateway-error.js';
import type { StreamContext } from './translated-stream.js';

/** The error for a stream event whose payload cannot be read. */
export function malformedStreamEventError(
  context: StreamContext,
  what = 'a stream event that is not JSON',
): GatewayError {
  return new GatewayError('provider_error', `${context.provider} sent ${what}`, {
    provider: context.provider,
    model: context.model,
    statusCode: 502,
  });
}
