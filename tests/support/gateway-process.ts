import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyAppDirTemplate, prepareAppDirTemplate } from './app-dir-template.js';

/** The built `bifrost-http` entry point; `pnpm run build` at the root produces it. */
export const gatewayBinary = fileURLToPath(new URL('../../transports/http/dist/cli.js', import.meta.url));

// While the test file loads, outside any test's timeout: the first build of the template takes a while.
await prepareAppDirTemplate(gatewayBinary);

/** Options shared by {@link startGateway} and {@link runGateway}. */
export interface GatewayProcessOptions {
  /** Written to a temp file and passed as `-config`; a string is written verbatim (for broken JSON). */
  config?: unknown;
  /**
   * Environment of the child, on top of `PATH` alone, so a developer's own API keys or proxy settings never leak
   * into a test.
   */
  env?: Record<string, string>;
  /** Flags after `-config`; `startGateway` adds `-port 0 -host 127.0.0.1` unless they are given here. */
  args?: string[];
  /** @default 15_000 */
  timeoutMs?: number;
  /** Working directory of the child, where plugin package names resolve first. @default this process's */
  cwd?: string;
}

/** A running `bifrost-http` child process. */
export interface GatewayProcess {
  /** `http://127.0.0.1:PORT`, from the listening line. */
  url: string;
  port: number;
  process: ChildProcess;
  /** Lines the child wrote, as they arrive. */
  stdout: string[];
  stderr: string[];
  /** Sends `signal` (default SIGTERM), waits for the exit (SIGKILL after the timeout), returns the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** How a run of the binary ended. */
export interface GatewayRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

const running = new Set<ChildProcess>();
// A crashed or interrupted test run must not leave gateways listening behind it.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts `bifrost-http` on a free loopback port and resolves once it logs `bifrost-http listening`; rejects with
 * the child's stderr when it exits or stays silent instead. Call `stop()` in `afterAll`.
 * @example
 * const gateway = await startGateway({ config: { providers: { openai: { keys: [...] } } } });
 * afterAll(() => gateway.stop());
 */
export async function startGateway(options: GatewayProcessOptions = {}): Promise<GatewayProcess> {
  const { timeoutMs = 15_000 } = options;
  const args = [...(options.args ?? [])];
  if (!args.some((arg) => /^--?port(=|$)/.test(arg))) args.push('-port', '0');
  if (!args.some((arg) => /^--?host(=|$)/.test(arg))) args.push('-host', '127.0.0.1');
  const { child, directory } = await spawnGateway({ ...options, args }, { seedState: true });
  const stdout = collectLines(child.stdout!);
  const stderr = collectLines(child.stderr!);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const cleanUp = async () => {
    running.delete(child);
    await rm(directory, { recursive: true, force: true });
  };
  void exited.then(cleanUp);

  let address: string;
  try {
    address = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('did not log "bifrost-http listening"')), timeoutMs);
      const onLine = () => {
        const line = stdout.find((candidate) => listeningAddress(candidate) !== undefined);
        if (line === undefined) return;
        clearTimeout(timer);
        resolve(listeningAddress(line)!);
      };
      // collectLines' listener was added first, so `stdout` already holds this chunk's lines.
      child.stdout!.on('data', onLine);
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`exited with code ${code} before listening`));
      });
    });
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(
      `bifrost-http ${(error as Error).message}\nstderr:\n${stderr.join('\n')}\nstdout:\n${stdout.join('\n')}`,
    );
  }

  const url = new URL(address);
  return {
    url: url.origin,
    port: Number(url.port),
    process: child,
    stdout,
    stderr,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Runs `bifrost-http` expecting it to exit by itself (start-up errors, `--help`); kills it after the timeout. */
export async function runGateway(options: GatewayProcessOptions = {}): Promise<GatewayRun> {
  const { timeoutMs = 15_000 } = options;
  const { child, directory } = await spawnGateway(options);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
  });
  child.stderr!.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  // 'close' rather than 'exit': it waits for the output pipes to drain.
  const code = await new Promise<number | null>((resolve) =>
    child.once('close', (exitCode) => resolve(exitCode)),
  );
  clearTimeout(timer);
  running.delete(child);
  await rm(directory, { recursive: true, force: true });
  return { code, stdout, stderr };
}

/**
 * Starts the binary. Each child gets an app directory of its own, never the working directory; with `seedState`,
 * one that keeps state starts from a copy of a ready-made database instead of creating one.
 */
async function spawnGateway(
  options: GatewayProcessOptions,
  { seedState = false } = {},
): Promise<{ child: ChildProcess; directory: string }> {
  if (!existsSync(gatewayBinary)) {
    throw new Error(`${gatewayBinary} is missing: run \`pnpm run build\` at the repository root first`);
  }
  const args = [gatewayBinary];
  const directory = await mkdtemp(join(tmpdir(), 'bifrost-http-test-'));
  if (options.config !== undefined) {
    const path = join(directory, 'config.json');
    const text =
      typeof options.config === 'string'
        ? options.config
        : JSON.stringify(withoutState(options.config), null, 2);
    await writeFile(path, text);
    args.push('-config', path);
  }
  if (!(options.args ?? []).some((arg) => /^--?app-dir(=|$)/.test(arg))) {
    const appDir = join(directory, 'app');
    if (seedState && !statelessConfig(options.config)) await copyAppDirTemplate(gatewayBinary, appDir);
    args.push('-app-dir', appDir);
  }
  args.push(...(options.args ?? []));
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  return { child, directory };
}

/**
 * A config that names no state gets `config_store` turned off: creating the embedded database takes seconds, which
 * suites about other things should not wait for. Suites about state name it and get the store.
 */
function withoutState(config: unknown): unknown {
  return statelessConfig(config)
    ? { ...(config as object), config_store: { type: 'embedded', enabled: false } }
    : config;
}

/** Whether `config` is a config object that names no state, which the harness then runs without a store. */
function statelessConfig(config: unknown): boolean {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) return false;
  return !('config_store' in config || 'governance' in config || 'auth_config' in config);
}

function collectLines(stream: NodeJS.ReadableStream): string[] {
  const lines: string[] = [];
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (text: string) => {
    const pieces = (partial + text).split('\n');
    partial = pieces.pop()!;
    lines.push(...pieces);
  });
  stream.on('end', () => {
    if (partial !== '') lines.push(partial);
  });
  return lines;
}

function listeningAddress(line: string): string | undefined {
  try {
    const entry = JSON.parse(line) as { msg?: unknown; address?: unknown };
    return entry.msg === 'bifrost-http listening' && typeof entry.address === 'string'
      ? entry.address
      : undefined;
  } catch {
    return undefined;
  }
}
