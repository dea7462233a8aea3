#!/usr/bin/env node
import { runGatewayCli } from '@bifrost/core';
import { BindError, startGrpcGateway } from './start-grpc-gateway.js';

runGatewayCli({
  // grpc-js binds its own listener and multiplexes every connection over HTTP/2: one process, no workers.
  program: { program: 'bifrost-grpc', defaultPort: 50051, supportsWorkers: false },
  start: ({ flags, config, configDirectory, logger, readConfig }) =>
    startGrpcGateway({
      config,
      configDirectory,
      readConfig,
      port: flags.port,
      host: flags.host,
      logger,
      extraPlugins: flags.plugins,
      poolSize: flags.poolSize,
      prometheusLabels: flags.prometheusLabels,
      dropExcessRequests: flags.dropExcessRequests,
    }),
  describeStartupError: (error) => (error instanceof BindError ? error.message : undefined),
}).catch((error) => {
  process.stderr.write(`bifrost-grpc: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
