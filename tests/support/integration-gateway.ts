import { type GatewayProcess, startGateway } from './gateway-process.js';
import type { IntegrationUpstream } from './integration-upstreams.js';

/** Options of {@link startIntegrationGateway}. */
export interface IntegrationGatewayOptions {
  /** `client.allow_direct_keys`. @default false */
  allowDirectKeys?: boolean;
}

/**
 * Starts the built `bifrost-http` with one provider per upstream, each pointed at its fake with the key the fake
 * accepts; no retries, so an upstream error reaches the SDK as it was.
 */
export function startIntegrationGateway(
  upstreams: Iterable<IntegrationUpstream>,
  options: IntegrationGatewayOptions = {},
): Promise<GatewayProcess> {
  const providers: Record<string, unknown> = {};
  for (const upstream of upstreams) {
    providers[upstream.provider] = {
      keys: [{ value: upstream.apiKey, models: [], weight: 1 }],
      network_config: { base_url: upstream.url, max_retries: 0 },
    };
  }
  return startGateway({
    config: { client: { allow_direct_keys: options.allowDirectKeys ?? false }, providers },
  });
}
