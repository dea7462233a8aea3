import { dirname, resolve } from 'node:path';
import { authConfigOf, type ConfigFile, type Logger } from '@bifrost/schemas';
import type { ProvidersReload } from '../bifrost.js';
import { ConfigError } from '../config/config-error.js';
import { defaultConfig } from '../config/default-config.js';
import { loadConfigFile } from '../config/load-config-file.js';
import { GatewayError } from '../errors/gateway-error.js';
import { createJsonLogger } from '../logger/json-logger.js';
import { PluginLoadError } from '../plugins/load-plugins.js';
import { type CliFlags, type CliProgram, CliUsageError, parseCliFlags, usage } from './cli-flags.js';
import { isLoopbackHost } from './is-loopback-host.js';

/** Exit codes: 1 for a config or start-up problem, 2 for bad flags, as Go programs do. */
const exitStartupError = 1;
const exitUsageError = 2;

/** What a binary's `start` receives: the parsed flags, the validated config, and where it came from. */
export interface GatewayStartSettings {
  flags: CliFlags;
  config: ConfigFile;
  /** The config file's directory (relative plugin paths resolve against it), or the working directory. */
  configDirectory: string;
  logger: Logger;
  /**
   * Reads and validates the config file again, for a reload; rejects with a ConfigError naming each problem.
   * Undefined when the gateway runs on the embedded default, which has no file to re-read.
   */
  readConfig?: () => Promise<ConfigFile>;
}

/** A started gateway, as far as the command line cares: something to drain and close. */
export interface StoppableGateway {
  close(): Promise<void>;
  /** Re-reads the config file and applies it; the running config stays when it is invalid. */
  reload?(): Promise<ProvidersReload>;
}

/** How one binary differs from another. */
export interface GatewayCliOptions {
  program: CliProgram;
  /** Binds and serves; rejects with the problem when it cannot. */
  start(settings: GatewayStartSettings): Promise<StoppableGateway>;
  /**
   * A start failure the operator has to fix (a port in use, say), as the message to print, or undefined for a
   * bug. Plugin and provider problems are recognised already.
   */
  describeStartupError?(error: unknown, flags: CliFlags): string | undefined;
  /** Takes over instead of `start` (e.g. a cluster primary forking workers); returns true when it did. */
  runInstead?(flags: CliFlags, logger: Logger): boolean;
}

/**
 * The command line shared by the gateway binaries: flags, `--help`, the config file or the embedded default,
 * start-up errors as exit codes, and graceful shutdown on SIGTERM/SIGINT (a second signal exits at once).
 */
export async function runGatewayCli(
  options: GatewayCliOptions,
  argv: readonly string[] = process.argv.slice(2),
) {
  const { program } = options;
  const fail = (message: string, code: number): never => {
    process.stderr.write(`${program.program}: ${message}\n`);
    process.exit(code);
  };
  let flags: CliFlags;
  try {
    flags = parseCliFlags(argv, program);
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    return fail(`${error.message}\n\n${usage(program)}`, exitUsageError);
  }
  if (flags.help) {
    process.stdout.write(usage(program));
    return;
  }
  const logger = createJsonLogger({ level: flags.logLevel });

  let config: ConfigFile;
  try {
    config = flags.config ? await loadConfigFile(flags.config) : defaultConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return fail(error.message, exitStartupError);
  }
  if (!flags.config) {
    logger.info('no -config given; using the embedded default', { providers: Object.keys(config.providers) });
  }
  if (options.runInstead?.(flags, logger)) return;

  // Signal handlers go in before the server listens: a supervisor may signal as soon as the "listening" line
  // appears, and a signal that arrives before a handler exists kills the process without draining.
  let gateway: StoppableGateway | undefined;
  let stopping = false;
  const shutDown = (running: StoppableGateway) => {
    running.close().then(
      () => process.exit(0),
      (error) => {
        logger.error('shutdown failed', { error: (error as Error).message });
        process.exit(1);
      },
    );
  };
  const stop = (signal: NodeJS.Signals) => {
    // A second signal means "now".
    if (stopping) process.exit(130);
    stopping = true;
    logger.info('shutting down: draining in-flight requests', { signal });
    // Still starting: shut down as soon as the start completes.
    if (gateway) shutDown(gateway);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // SIGHUP re-reads the config, as daemons do; without a handler it would kill the process.
  process.on('SIGHUP', () => {
    if (!gateway?.reload || stopping) return;
    gateway.reload().then(
      (summary) => logger.info('config reloaded', { ...summary }),
      (error) =>
        logger.error('config reload failed; keeping the running config', {
          reason: (error as Error).message,
        }),
    );
  });

  // Without enforce_auth_on_inference nothing checks who calls the models: say so before anyone can connect.
  if (!isLoopbackHost(flags.host) && !enforcesInferenceAuth(config)) {
    logger.warn(
      `listening beyond loopback: the gateway is reachable from other machines with no authentication, and every caller can spend the configured provider keys; set client.enforce_auth_on_inference (callers then need a virtual key), bind -host 127.0.0.1, or put an authenticating reverse proxy in front (docs/security.md)`,
      { host: flags.host, port: flags.port },
    );
  }
  const configPath = flags.config;
  try {
    gateway = await options.start({
      flags,
      config,
      configDirectory: configPath ? dirname(resolve(configPath)) : process.cwd(),
      logger,
      readConfig: configPath ? () => loadConfigFile(configPath) : undefined,
    });
  } catch (error) {
    if (error instanceof PluginLoadError || error instanceof GatewayError) {
      return fail(error.message, exitStartupError);
    }
    const message = options.describeStartupError?.(error, flags);
    if (message !== undefined) return fail(message, exitStartupError);
    throw error;
  }
  if (stopping) shutDown(gateway);
}

/** Whether inference needs a virtual key: `client.enforce_auth_on_inference`, unless auth_config lifts it. */
function enforcesInferenceAuth(config: ConfigFile): boolean {
  return (
    config.client?.enforce_auth_on_inference === true &&
    authConfigOf(config)?.disable_auth_on_inference !== true
  );
}
