import type { ProxyConfig } from '@bifrost/schemas';
import { Agent, type Dispatcher, EnvHttpProxyAgent, type Pool, ProxyAgent, Socks5ProxyAgent } from 'undici';
import { FreeListPool } from './free-list-pool.js';

/** Connection settings shared by every kind of dispatcher. */
export interface DispatcherOptions {
  /** Upper bound on open connections per upstream origin. */
  connections: number;
  /** Seconds before a connection attempt is abandoned. */
  connectTimeoutSeconds?: number;
}

/** How long an idle upstream connection is kept for reuse. */
const keepAliveTimeoutMs = 30_000;

/**
 * Builds the undici dispatcher (a keep-alive connection pool per origin) for one provider, going through the
 * configured proxy: HTTP(S), SOCKS5, or the `HTTP_PROXY` / `HTTPS_PROXY` / `NO_PROXY` environment.
 */
export function createDispatcher(proxy: ProxyConfig | undefined, options: DispatcherOptions): Dispatcher {
  const pool = {
    connections: options.connections,
    keepAliveTimeout: keepAliveTimeoutMs,
    connect: { timeout: (options.connectTimeoutSeconds ?? 10) * 1000 },
  };
  switch (proxy?.type) {
    case undefined:
    case 'none':
      // undici's Pool scans every connection for a free one; this pool finds one in constant time.
      return new Agent({
        ...pool,
        factory: (origin, agentOptions) => new FreeListPool(origin, agentOptions as Pool.Options),
      });
    case 'environment':
      return new EnvHttpProxyAgent(pool);
    case 'http':
      return new ProxyAgent({ ...pool, uri: requireProxyUrl(proxy), token: basicToken(proxy) });
    case 'socks5':
      // The SOCKS agent takes its own connector options; pool sizing is per proxied origin.
      return new Socks5ProxyAgent(requireProxyUrl(proxy), {
        username: proxy.username,
        password: proxy.password,
      });
  }
}

function requireProxyUrl(proxy: ProxyConfig): string {
  if (!proxy.url) throw new TypeError(`proxy_config.url is required for a ${proxy.type} proxy`);
  return proxy.url;
}

function basicToken(proxy: ProxyConfig): string | undefined {
  if (!proxy.username) return undefined;
  return `Basic ${Buffer.from(`${proxy.username}:${proxy.password ?? ''}`).toString('base64')}`;
}
