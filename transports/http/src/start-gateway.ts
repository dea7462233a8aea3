import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type Bifrost,
  createEngineFromConfig,
  type EngineFromConfigOptions,
  type ProvidersReload,
} from '@bifrost/core';
import { authConfigOf, type ConfigFile } from '@bifrost/schemas';
import type { Store } from '@bifrost/store';
import { createAdaptorServer } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { createHttpApp } from './create-http-app.js';
import { collectGarbage } from './request/collect-garbage.js';
import { openGatewayStore } from './state/open-gateway-store.js';
import { stateTargetFor } from './state/state-target.js';

/** Everything needed to run the gateway: a validated config plus the command line's overrides. */
export interface GatewayOptions extends EngineFromConfigOptions {
  port: number;
  host: string;
  /**
   * How many connections the kernel queues before the gateway accepts them. Node's own 511 overflows in an
   * opening burst of thousands of connections (clients see resets or SYN retries); Linux caps the value at
   * `net.core.somaxconn`. @default 4096
   */
  backlog?: number;
  /**
   * Where state is kept unless `config_store` names Postgres (`-app-dir`); the CLI always sets it. Without it the
   * gateway keeps state only when its config names governance, `auth_config` or `config_store`, and then in memory.
   */
  appDir?: string;
  /** An open store to use instead of opening one; the caller closes it. */
  store?: Store;
}

/** A listening gateway. */
export interface RunningGateway {
  engine: Bifrost;
  server: Server;
  /** The state store, when the gateway keeps state. */
  store: Store | undefined;
  /** The bound port; useful with port 0. */
  port: number;
  /**
   * Stops accepting connections, lets in-flight requests and streams finish (up to `drainMs`), then flushes
   * plugins, closes upstream connections and, last, the store it opened.
   */
  close(drainMs?: number): Promise<void>;
  /** Re-reads the config file and applies it; undefined without a config file. */
  reload?: () => Promise<ProvidersReload>;
}

/** Opens the store (when the gateway keeps state), builds the engine and plugins from the config, and serves. */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const { config, logger } = options;
  const target = options.store === undefined ? stateTargetFor(config, options.appDir) : undefined;
  const ownStore = target === undefined ? undefined : await openGatewayStore(target, logger);
  const closeOwnStore = async () => {
    await ownStore?.close();
  };
  try {
    return await serveGateway({ ...options, store: options.store ?? ownStore }, closeOwnStore);
  } catch (error) {
    // Whatever failed after the store opened (a plugin, the port) must not leave it open and locked.
    await closeOwnStore().catch(() => {});
    throw error;
  }
}

async function serveGateway(
  options: GatewayOptions,
  closeOwnStore: () => Promise<void>,
): Promise<RunningGateway> {
  const { config, logger, backlog = 4096, store } = options;
  const client = config.client;
  const { engine, plugins, reload } = await createEngineFromConfig(options);
  // What the management API reports and edits: the config as last applied, by a reload or through the API.
  let runningConfig = config;
  const applyConfig = async (next: ConfigFile): Promise<ProvidersReload> => {
    const summary = await reload(next);
    runningConfig = next;
    return summary;
  };
  const { readConfig } = options;
  const reloadFromFile = readConfig ? async () => applyConfig(await readConfig()) : undefined;
  const app = createHttpApp({
    engine,
    logger,
    maxRequestBodyBytes: (client?.max_request_body_size_mb ?? 10) * 1024 * 1024,
    maxInFlightRequestBodyBytes: (client?.max_in_flight_request_body_mb ?? 256) * 1024 * 1024,
    reclaimMemory: collectGarbage(),
    allowDirectKeys: client?.allow_direct_keys ?? false,
    forwardHeaders: plugins.length > 0,
    reloadConfig: reloadFromFile,
    admin: {
      auth: authConfigOf(config),
      store,
      config: () => runningConfig,
      applyConfig,
      openManagementToRemote: false,
    },
  });
  let draining = false;
  // While draining, each answer tells its client to close the connection, so that none sends a new request on a
  // connection the drain is waiting for. Checked when the answer is ready: requests already running count too.
  const closeIfDraining = (response: Response): Response => {
    // A stream written straight to the socket has sent its headers already; the drain sweep closes it when done.
    if (draining && response !== RESPONSE_ALREADY_SENT) response.headers.set('connection', 'close');
    return response;
  };
  const fetch: typeof app.fetch = (request, env, executionContext) => {
    const answer = app.fetch(request, env, executionContext);
    return answer instanceof Promise ? answer.then(closeIfDraining) : closeIfDraining(answer);
  };
  // Node cuts a request that takes longer than `requestTimeout` to arrive with a 408, checking every interval.
  const readTimeoutMs = (client?.client_read_timeout_in_seconds ?? 60) * 1000;
  const serverOptions = {
    requestTimeout: readTimeoutMs,
    headersTimeout: Math.min(60_000, readTimeoutMs),
    connectionsCheckingInterval: Math.min(1000, readTimeoutMs),
  };
  let server: Server;
  try {
    server = await new Promise<Server>((resolve, reject) => {
      // `serve()` would listen with Node's default backlog; listening here is what lets us pass ours.
      const created = createAdaptorServer({ fetch, hostname: options.host, serverOptions }) as Server;
      created.once('error', reject);
      created.listen({ port: options.port, host: options.host, backlog }, () => resolve(created));
    });
  } catch (error) {
    // A port in use must not leave plugins running (their timers would keep a library caller's process alive).
    await engine.shutdown();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  logger.info('bifrost-http listening', {
    address: `http://${options.host}:${port}`,
    backlog,
    providers: engine.providers,
    plugins: plugins.map((plugin) => plugin.name),
  });

  let closing: Promise<void> | undefined;
  const close = (drainMs = (client?.drain_timeout_in_seconds ?? 30) * 1000) => {
    closing ??= (async () => {
      draining = true;
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // A stream answered before close() went out with keep-alive: once it ends, its connection would sit idle
      // until the client's keep-alive timeout, so sweep connections as they go idle.
      const sweep = setInterval(() => server.closeIdleConnections(), 100);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          logger.warn('drain timeout reached; closing remaining connections', { drain_ms: drainMs });
          server.closeAllConnections();
          resolve();
        }, drainMs);
      });
      await Promise.race([drained, timedOut]);
      clearTimeout(timer);
      clearInterval(sweep);
      try {
        await engine.shutdown();
      } finally {
        // After the engine: plugins flush their counters to the store as they shut down.
        await closeOwnStore();
      }
    })();
    return closing;
  };
  return { engine, server, store, port, close, reload: reloadFromFile };
}
