import type { LogLevel } from '@bifrost/schemas';

/** The command-line flags of the gateway binaries (`bifrost-http`, `bifrost-grpc`), named as upstream Bifrost names them. */
export interface CliFlags {
  config: string | undefined;
  port: number;
  host: string;
  poolSize: number | undefined;
  dropExcessRequests: boolean | undefined;
  plugins: string[];
  prometheusLabels: string[];
  logLevel: LogLevel;
  workers: number;
  /**
   * Where the gateway keeps its state (the embedded store, unless the config names a Postgres one), as upstream's
   * `-app-dir`. Created if missing.
   */
  appDir: string;
  /** The listen backlog; undefined leaves the binary's own default. Only binaries that accept `-backlog` set it. */
  backlog: number | undefined;
  help: boolean;
}

/** A flag the program does not know, or a bad value; the CLI prints it with the usage and exits 2. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

/** Which binary is parsing: its name for messages, its default port, and whether it can fork workers. */
export interface CliProgram {
  program: string;
  defaultPort: number;
  /** When false, `-workers` is neither listed nor accepted. @default true */
  supportsWorkers?: boolean;
  /**
   * When true, `-backlog` is listed and accepted: the binary listens through Node's own `net.Server`, whose
   * backlog it can set. Off by default, since a binary whose library binds the socket (grpc-js) cannot.
   * @default false
   */
  supportsBacklog?: boolean;
  /** When true, `-app-dir` is listed and accepted: the binary keeps state there. @default false */
  keepsState?: boolean;
}

/** Where the binaries listen without `-host`: this machine only. */
export const defaultHost = '127.0.0.1';

/** Where state goes without `-app-dir`: a folder in the working directory, so a first run needs no setup. */
export const defaultAppDir = './bifrost-data';

/** For the usage text only: the binary applies its own default (bifrost-http's `startGateway`) when unset. */
const defaultListenBacklog = 4096;

const httpProgram: CliProgram = {
  program: 'bifrost-http',
  defaultPort: 8080,
  supportsBacklog: true,
  keepsState: true,
};

/** The usage text printed by `--help`. */
export function usage({
  program,
  defaultPort,
  supportsWorkers = true,
  supportsBacklog = false,
  keepsState = false,
}: CliProgram = httpProgram): string {
  const backlogLine = supportsBacklog
    ? `  -backlog N                 connections the kernel queues before accept (default ${defaultListenBacklog}, capped by net.core.somaxconn)\n`
    : '';
  return `Usage: ${program} [flags]

Flags (each also as --flag, and as -flag=value):
  -config PATH               config file (JSON); without it, providers come from API-key env vars plus local Ollama
  -port N                    port to listen on (default ${defaultPort})
  -host HOST                 address to bind (default 127.0.0.1; -host 0.0.0.0 for every interface)
${backlogLine}${keepsState ? `  -app-dir PATH              where state is kept: the embedded store, unless config_store names Postgres (default ${defaultAppDir})\n` : ''}  -pool-size N               queue records allocated up front per provider (default 300)
  -drop-excess-requests      answer 429 at once when a provider's queue is full, instead of waiting
  -plugins a,b               plugins to load in addition to the config's (names, packages or paths)
  -prometheus-labels a,b     extra metric labels, valued from x-bf-prom-<label> request headers
  -log-level LEVEL           debug, info, warn or error (default info)
${supportsWorkers ? '  -workers N                 serve from N processes sharing the port (default 1)\n' : ''}  -help                      print this and exit
`;
}

const logLevels = new Set(['debug', 'info', 'warn', 'error']);
const booleanFlags = new Set(['drop-excess-requests', 'help', 'h']);
const valueFlags = new Set([
  'config',
  'port',
  'host',
  'pool-size',
  'plugins',
  'prometheus-labels',
  'log-level',
  'workers',
  'backlog',
  'app-dir',
]);

/** Parses `-flag value`, `--flag value`, `-flag=value` and `--flag=value`, as Go's flag package does. */
export function parseCliFlags(argv: readonly string[], program: CliProgram = httpProgram): CliFlags {
  const flags: CliFlags = {
    config: undefined,
    port: program.defaultPort,
    // Loopback unless asked: inference needs no virtual key unless enforce_auth_on_inference is set, so binding
    // wider would lend the configured keys to anyone who can reach the port. Upstream Bifrost made the same change.
    host: defaultHost,
    poolSize: undefined,
    dropExcessRequests: undefined,
    plugins: [],
    prometheusLabels: [],
    logLevel: 'info',
    workers: 1,
    backlog: undefined,
    appDir: defaultAppDir,
    help: false,
  };
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    // A bare `--` is what package managers put between their own arguments and the script's: skip it.
    if (argument === '--') continue;
    if (!argument.startsWith('-')) throw new CliUsageError(`unexpected argument "${argument}"`);
    const stripped = argument.replace(/^--?/, '');
    const equals = stripped.indexOf('=');
    const name = equals === -1 ? stripped : stripped.slice(0, equals);
    if (name === 'workers' && program.supportsWorkers === false) {
      throw new CliUsageError(`unknown flag -${name} (${program.program} serves from one process)`);
    }
    if (name === 'app-dir' && program.keepsState !== true) {
      throw new CliUsageError(`unknown flag -${name} (${program.program} keeps no state)`);
    }
    if (name === 'backlog' && program.supportsBacklog !== true) {
      throw new CliUsageError(`unknown flag -${name} (${program.program} does not bind its own listener)`);
    }
    let value = equals === -1 ? undefined : stripped.slice(equals + 1);
    if (booleanFlags.has(name)) {
      const enabled = value === undefined || value === 'true' || value === '1';
      if (value !== undefined && !enabled && value !== 'false' && value !== '0') {
        throw new CliUsageError(`-${name} takes true or false, not "${value}"`);
      }
      if (name === 'drop-excess-requests') flags.dropExcessRequests = enabled;
      else flags.help = enabled;
      continue;
    }
    // Before reading a value, so `--bogus` is named as unknown rather than as missing its value.
    if (!valueFlags.has(name)) throw new CliUsageError(`unknown flag -${name}`);
    if (value === undefined) {
      value = argv[++index];
      if (value === undefined) throw new CliUsageError(`-${name} needs a value`);
    }
    switch (name) {
      case 'config':
        flags.config = value;
        break;
      case 'port':
        flags.port = integer(name, value, 0, 65535);
        break;
      case 'host':
        flags.host = value;
        break;
      case 'pool-size':
        flags.poolSize = integer(name, value, 0, 1_000_000);
        break;
      case 'plugins':
        flags.plugins = list(value);
        break;
      case 'prometheus-labels':
        flags.prometheusLabels = list(value);
        break;
      case 'log-level':
        if (!logLevels.has(value))
          throw new CliUsageError(`-log-level must be debug, info, warn or error, not "${value}"`);
        flags.logLevel = value as LogLevel;
        break;
      case 'workers':
        flags.workers = integer(name, value, 1, 256);
        break;
      case 'backlog':
        flags.backlog = integer(name, value, 1, 1_000_000);
        break;
      case 'app-dir':
        if (value.trim() === '') throw new CliUsageError('-app-dir needs a directory');
        flags.appDir = value;
        break;
      default:
        throw new CliUsageError(`unknown flag -${name}`);
    }
  }
  return flags;
}

function integer(name: string, value: string, min: number, max: number): number {
  // Digits only: Number() reads "" and " " as 0, so `-port=` would otherwise bind a random port.
  const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
    throw new CliUsageError(`-${name} must be a whole number from ${min} to ${max}, not "${value}"`);
  }
  return parsed;
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
