import type { ProviderConfig, ProviderName } from '@bifrost/schemas';
import type { Dispatcher } from 'undici';
import { createDispatcher } from '../http/create-dispatcher.js';
import { type UpstreamTimeouts, upstreamTimeouts } from '../http/upstream-timeouts.js';
import { KeyCooldowns } from '../keys/key-cooldowns.js';
import { createProvider } from '../providers/create-provider.js';
import type { Provider } from '../providers/provider.js';
import { RequestQueue } from '../queue/request-queue.js';

/** One provider ready to serve: implementation, queue and settings. */
export interface ProviderRuntime {
  readonly name: ProviderName;
  readonly provider: Provider;
  readonly queue: RequestQueue;
  readonly config: ProviderConfig;
  readonly timeouts: UpstreamTimeouts;
  /** Keys the provider refused or rate-limited lately. */
  readonly cooldowns: KeyCooldowns;
}

/** How the engine builds a provider's runtime; see {@link BifrostOptions}. */
export interface ProviderRuntimeOptions {
  initialPoolSize?: number;
  dropExcessRequests?: boolean;
  createDispatcher?: (provider: ProviderName, config: ProviderConfig) => Dispatcher;
}

/** Builds a provider's connection pool, queue and implementation from its settings. */
export function createProviderRuntime(
  name: ProviderName,
  config: ProviderConfig,
  options: ProviderRuntimeOptions,
): ProviderRuntime {
  const timeouts = upstreamTimeouts(config.network_config);
  const dispatcher =
    options.createDispatcher?.(name, config) ??
    createDispatcher(config.proxy_config, {
      connections: config.concurrency_and_buffer_size.concurrency,
      connectTimeoutSeconds: timeouts.connectMs / 1000,
    });
  const queue = new RequestQueue({
    provider: name,
    concurrency: config.concurrency_and_buffer_size.concurrency,
    bufferSize: config.concurrency_and_buffer_size.buffer_size,
    dropExcessRequests: options.dropExcessRequests ?? false,
    initialPoolSize: options.initialPoolSize ?? 300,
    maxWaitMs: config.concurrency_and_buffer_size.max_queue_wait_in_seconds * 1000,
  });
  const provider = createProvider(name, config, dispatcher);
  return { name, provider, queue, config, timeouts, cooldowns: new KeyCooldowns() };
}
