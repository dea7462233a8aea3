import type { BifrostRequest } from '@bifrost/schemas';
import { allowsFallback, GatewayError } from '../errors/gateway-error.js';
import { admit } from './admission.js';
import type { EngineParts } from './engine-parts.js';
import type { Operation } from './operations.js';
import { runPluginAttempt } from './plugin-attempt.js';
import type { RequestOptions } from './request-options.js';
import { attemptCount, attemptTarget } from './resolve-target.js';

/**
 * A request from admission to answer: the primary, then each fallback in order while the failure allows it. The
 * primary's error is the one reported when every attempt fails.
 */
export async function runRequest<Request extends BifrostRequest, Result, Output>(
  parts: EngineParts,
  operation: Operation<Request, Result, Output>,
  request: Request,
  options: RequestOptions | undefined,
): Promise<Output> {
  const scope = admit(parts, options);
  const attempts = attemptCount(request);
  let primaryError: GatewayError | undefined;
  for (let index = 0; index < attempts; index++) {
    const target = attemptTarget(request, index);
    try {
      return await runPluginAttempt(parts, operation, target, index, scope);
    } catch (caught) {
      const error = GatewayError.from(caught, { provider: target.provider, model: target.model });
      primaryError ??= error;
      if (index + 1 >= attempts || !allowsFallback(error)) break;
      parts.logger.warn('falling back', { from: target.provider, model: target.model, reason: error.code });
    }
  }
  throw primaryError!;
}
