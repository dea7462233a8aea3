#!/usr/bin/env node
import { dirname, resolve } from 'node:path';
import {
  CliUsageError,
  ConfigError,
  createJsonLogger,
  defaultConfig,
  GatewayError,
  loadConfigFile,
  PluginLoadError,
  parseCliFlags,
  usage,
} from '@bifrost/core';
import type { ConfigFile } from '@bifrost/schemas';
import { BindError, startGrpcGateway } from './start-grpc-gateway.js';

// grpc-js binds its own listener and multiplexes every connection over HTTP/2: one process, no workers.
const grpcProgram = { program: 'bifrost-grpc', defaultPort: 50051, supportsWorkers: false };

/** Exit codes: 1 for a config or start-up problem, 2 for bad flags, as Go programs do. */
const exitConfigError = 1;
const exitUsageError = 2;

async function main(): Promise<void> {
  let flags: ReturnType<typeof parseCliFlags>;
  try {
    flags = parseCliFlags(process.argv.slice(2), grpcProgram);
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    process.stderr.write(`bifrost-grpc: ${error.message}\n\n${usage(grpcProgram)}`);
    process.exit(exitUsageError);
  }
  if (flags.help) {
    process.stdout.write(usage(grpcProgram));
    return;
  }
  const logger = createJsonLogger({ level: flags.logLevel });

  let config: ConfigFile;
  try {
    config = flags.config ? await loadConfigFile(flags.config) : defaultConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`bifrost-grpc: ${error.message}\n`);
    process.exit(exitConfigError);
  }
  if (!flags.config) {
    logger.info('no -config given; using the embedded default', { providers: Object.keys(config.providers) });
  }

  // Signal handlers go in before the server listens: a supervisor may signal as soon as the "listening" line
  // appears, and a signal that arrives before a handler exists kills the process without draining.
  let gateway: Awaited<ReturnType<typeof startGrpcGateway>> | undefined;
  let stopping = false;
  const shutDown = (running: NonNullable<typeof gateway>) => {
    running.close().then(
      () => process.exit(0),
      (error) => {
        logger.error('shutdown failed', { error: (error as Error).message });
        process.exit(1);
      },
    );
  };
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second signal means "now".
      process.exit(130);
    }
    stopping = true;
    logger.info('shutting down: draining in-flight calls', { signal });
    // Still starting: shut down as soon as the start completes.
    if (gateway) shutDown(gateway);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  try {
    gateway = await startGrpcGateway({
      config,
      configDirectory: flags.config ? dirname(resolve(flags.config)) : process.cwd(),
      port: flags.port,
      host: flags.host,
      logger,
      extraPlugins: flags.plugins,
      poolSize: flags.poolSize,
      prometheusLabels: flags.prometheusLabels,
      dropExcessRequests: flags.dropExcessRequests,
    });
  } catch (error) {
    if (error instanceof PluginLoadError || error instanceof GatewayError || error instanceof BindError) {
      process.stderr.write(`bifrost-grpc: ${error.message}\n`);
      process.exit(exitConfigError);
    }
    throw error;
  }
  if (stopping) shutDown(gateway);
}

main().catch((error) => {
  process.stderr.write(`bifrost-grpc: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
