import {
  type Bifrost,
  createEngineFromConfig,
  type EngineFromConfigOptions,
  type ProvidersReload,
} from '@bifrost/core';
import { type Server, ServerCredentials } from '@grpc/grpc-js';
import { createGrpcServer } from './create-grpc-server.js';
import { bifrostServiceName } from './load-bifrost-proto.js';

/** Everything needed to run the gRPC gateway: a validated config plus the command line's overrides. */
export interface GrpcGatewayOptions extends EngineFromConfigOptions {
  port: number;
  host: string;
}

/** A listening gRPC gateway. */
export interface RunningGrpcGateway {
  engine: Bifrost;
  server: Server;
  /** The bound port; useful with port 0. */
  port: number;
  /**
   * Reports NOT_SERVING, stops accepting calls, lets in-flight calls and streams finish (up to `drainMs`, then
   * cancels them), then flushes plugins and closes upstream connections.
   */
  close(drainMs?: number): Promise<void>;
  /** Re-reads the config file and applies it (on SIGHUP); undefined without a config file. */
  reload?: () => Promise<ProvidersReload>;
}

/** A port is the start-up problem the CLI names; grpc-js reports it in a long message of its own. */
export class BindError extends Error {
  override readonly name = 'BindError';
}

/** Builds the engine and plugins from the config, as `bifrost-http` does, and serves them over gRPC. */
export async function startGrpcGateway(options: GrpcGatewayOptions): Promise<RunningGrpcGateway> {
  const { config, logger } = options;
  const client = config.client;
  const { engine, plugins, reloadFromFile } = await createEngineFromConfig(options);
  const { server, health } = createGrpcServer({
    engine,
    logger,
    maxReceiveMessageBytes: (client?.max_request_body_size_mb ?? 100) * 1024 * 1024,
    allowDirectKeys: client?.allow_direct_keys ?? false,
    forwardHeaders: plugins.length > 0,
  });
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`${host}:${options.port}`, ServerCredentials.createInsecure(), (error, bound) =>
        error
          ? reject(new BindError(`cannot listen on ${host}:${options.port}: ${error.message}`))
          : resolve(bound),
      ),
    );
  } catch (error) {
    // A port in use must not leave plugins running (their timers would keep a library caller's process alive).
    server.forceShutdown();
    await engine.shutdown();
    throw error;
  }
  logger.info('bifrost-grpc listening', {
    address: `${host}:${port}`,
    providers: engine.providers,
    plugins: plugins.map((plugin) => plugin.name),
  });

  let closing: Promise<void> | undefined;
  const close = (drainMs = (client?.drain_timeout_in_seconds ?? 30) * 1000) => {
    closing ??= (async () => {
      health.setStatus('', 'NOT_SERVING');
      health.setStatus(bifrostServiceName, 'NOT_SERVING');
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          logger.warn('drain timeout reached; cancelling remaining calls', { drain_ms: drainMs });
          server.forceShutdown();
          resolve();
        }, drainMs);
        server.tryShutdown(() => resolve());
      });
      clearTimeout(timer);
      await engine.shutdown();
    })();
    return closing;
  };
  return { engine, server, port, close, reload: reloadFromFile };
}
