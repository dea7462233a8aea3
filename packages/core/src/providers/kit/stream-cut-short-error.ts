import { GatewayError } from '../../errors/gateway-error.js';
import type { StreamContext } from './translated-stream.js';

/** The error for a stream that ended before the provider said it was finished. */
export function streamCutShortError(context: StreamContext): GatewayError {
  return new GatewayError('provider_error', `${context.provider} closed the stream before it finished`, {
    provider: context.provider,
    model: context.model,
    statusCode: 502,
  });
}
