#!/usr/bin/env node
import cluster from 'node:cluster';
import { runGatewayCli } from '@bifrost/core';
import type { Logger } from '@bifrost/schemas';
import { StoreError } from '@bifrost/store';
import { startGateway } from './start-gateway.js';
import { appDirForWorker, StateConfigError } from './state/workers-state-check.js';

runGatewayCli({
  program: { program: 'bifrost-http', defaultPort: 8080, supportsBacklog: true, keepsState: true },
  start: ({ flags, config, configDirectory, logger, readConfig }) =>
    startGateway({
      config,
      configDirectory,
      readConfig,
      port: flags.port,
      host: flags.host,
      backlog: flags.backlog,
      logger,
      extraPlugins: flags.plugins,
      poolSize: flags.poolSize,
      prometheusLabels: flags.prometheusLabels,
      dropExcessRequests: flags.dropExcessRequests,
      appDir: cluster.isWorker ? appDirForWorker(config, flags.appDir) : flags.appDir,
    }),
  describeStartupError: (error, flags) => {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      return `port ${flags.port} on ${flags.host} is already in use`;
    }
    if (error instanceof StateConfigError) return error.message;
    // Postgres out of reach, or the app directory held by another process.
    if (error instanceof StoreError) return `the state store cannot be opened: ${error.message}`;
    return undefined;
  },
  runInstead: (flags, logger) => {
    if (flags.workers <= 1 || !cluster.isPrimary) return false;
    runPrimary(flags.workers, logger);
    return true;
  },
}).catch((error) => {
  process.stderr.write(`bifrost-http: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});

/** Forks workers that share the listening port; restarts a worker that dies unless we are stopping. */
function runPrimary(workers: number, logger: Logger): void {
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
  // Each worker re-reads the config itself.
  process.on('SIGHUP', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGHUP');
  });
}
