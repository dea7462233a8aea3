#!/usr/bin/env node
import cluster from 'node:cluster';
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
import { startGateway } from './start-gateway.js';

const httpProgram = { program: 'bifrost-http', defaultPort: 8080 };

/** Exit codes: 1 for a config or start-up problem, 2 for bad flags, as Go programs do. */
const exitConfigError = 1;
const exitUsageError = 2;

async function main(): Promise<void> {
  let flags: ReturnType<typeof parseCliFlags>;
  try {
    flags = parseCliFlags(process.argv.slice(2), httpProgram);
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    process.stderr.write(`bifrost-http: ${error.message}\n\n${usage(httpProgram)}`);
    process.exit(exitUsageError);
  }
  if (flags.help) {
    process.stdout.write(usage(httpProgram));
    return;
  }
  const logger = createJsonLogger({ level: flags.logLevel });

  let config: ConfigFile;
  try {
    config = flags.config ? await loadConfigFile(flags.config) : defaultConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`bifrost-http: ${error.message}\n`);
    process.exit(exitConfigError);
  }
  if (!flags.config) {
    logger.info('no -config given; using the embedded default', { providers: Object.keys(config.providers) });
  }

  if (flags.workers > 1 && cluster.isPrimary) {
    runPrimary(flags.workers, logger);
    return;
  }

  // Signal handlers go in before the server listens: a supervisor may signal as soon as the "listening" line
  // appears, and a signal that arrives before a handler exists kills the process without draining.
  let gateway: Awaited<ReturnType<typeof startGateway>> | undefined;
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
    logger.info('shutting down: draining in-flight requests', { signal });
    // Still starting: shut down as soon as the start completes.
    if (gateway) shutDown(gateway);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  try {
    gateway = await startGateway({
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
    if (error instanceof PluginLoadError || error instanceof GatewayError) {
      process.stderr.write(`bifrost-http: ${error.message}\n`);
      process.exit(exitConfigError);
    }
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      process.stderr.write(`bifrost-http: port ${flags.port} on ${flags.host} is already in use\n`);
      process.exit(exitConfigError);
    }
    throw error;
  }
  if (stopping) shutDown(gateway);
}

/** Forks workers that share the listening port; restarts a worker that dies unless we are stopping. */
function runPrimary(workers: number, logger: ReturnType<typeof createJsonLogger>): void {
  let stopping = false;
  for (let index = 0; index < workers; index++) cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    logger.warn('worker exited; starting another', { pid: worker.process.pid, code, signal });
    cluster.fork();
  });
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(130);
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error) => {
  process.stderr.write(`bifrost-http: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
