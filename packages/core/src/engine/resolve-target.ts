import type { BifrostRequest, ProviderName } from '@bifrost/schemas';
import { GatewayError } from '../errors/gateway-error.js';
import type { ProviderRegistry } from './provider-registry.js';
import type { ProviderRuntime } from './provider-runtime.js';

/** The request for one attempt: the primary as it came, or the request moved onto fallback `index` (1-based). */
export function attemptTarget<Request extends BifrostRequest>(request: Request, index: number): Request {
  if (index === 0) return request;
  const target = request.fallbacks![index - 1]!;
  return { ...request, provider: target.provider, model: target.model, fallbacks: undefined };
}

/** How many attempts a request may take: the primary and each of its fallbacks. */
export function attemptCount(request: BifrostRequest): number {
  return 1 + (request.fallbacks?.length ?? 0);
}

/** The provider that serves an attempt's target, or `provider_not_configured` naming the field. */
export function resolveTarget(
  registry: ProviderRegistry,
  target: { provider: ProviderName; model: string },
): ProviderRuntime {
  const runtime = registry.get(target.provider);
  if (runtime) return runtime;
  throw new GatewayError('provider_not_configured', `provider "${target.provider}" is not configured`, {
    provider: target.provider,
    model: target.model,
    param: 'provider',
  });
}
