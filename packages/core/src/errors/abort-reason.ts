import type { ProviderName } from '@bifrost/schemas';
import { GatewayError } from './gateway-error.js';

/**
 * The error for work stopped by an aborted signal. A caller that aborts with a GatewayError as the reason (a
 * transport whose deadline passed aborts with `timeout`) gets that error back; any other reason means the caller
 * went away: `cancelled`.
 */
export function abortedError(
  signal: AbortSignal | undefined,
  message: string,
  context: { provider?: ProviderName; model?: string; retries?: number; cause?: unknown },
): GatewayError {
  const reason: unknown = signal?.reason;
  if (reason instanceof GatewayError) {
    return new GatewayError(reason.code, reason.message, { ...context, statusCode: reason.statusCode });
  }
  return new GatewayError('cancelled', message, context);
}
