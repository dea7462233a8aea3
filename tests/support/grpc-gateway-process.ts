import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built `bifrost-grpc` entry point; `pnpm run build` at the root produces it. */
export const grpcGatewayBinary = fileURLToPath(new URL('../../transports/grpc/dist/cli.js', import.meta.url));

/** Options of {@link startGrpcGateway} and {@link runGrpcGateway}. */
export interface GrpcGatewayProcessOptions {
  /** Written to a temp file and passed as `-config`. */
  config?: unknown;
  /** Flags after `-config`; `startGrpcGateway` adds `-port 0 -host 127.0.0.1`. */
  args?: string[];
  /** @default 15_000 */
  timeoutMs?: number;
}

/** A running `bifrost-grpc` child process. */
export interface GrpcGatewayProcess {
  /** `127.0.0.1:PORT`, from the listening line: a grpc-js target. */
  address: string;
  process: ChildProcess;
  stdout: string[];
  stderr: string[];
  /** Sends `signal` (default SIGTERM), waits for the exit (SIGKILL after the timeout), returns the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const running = new Set<ChildProcess>();
// A crashed or interrupted test run must not leave gateways listening behind it.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts `bifrost-grpc` on a free loopback port and resolves once it logs `bifrost-grpc listening`; rejects with
 * the child's output when it exits or stays silent instead. Call `stop()` in `afterAll`.
 */
export async function startGrpcGateway(options: GrpcGatewayProcessOptions = {}): Promise<GrpcGatewayProcess> {
  const { timeoutMs = 15_000 } = options;
  const { child, directory } = await spawnGrpcGateway({
    ...options,
    args: [...(options.args ?? []), '-port', '0', '-host', '127.0.0.1'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  void exited.then(async () => {
    running.delete(child);
    if (directory) await rm(directory, { recursive: true, force: true });
  });
  child.stderr!.setEncoding('utf8').on('data', (text: string) => stderr.push(text));

  let address: string;
  try {
    address = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('did not log "bifrost-grpc listening"')), timeoutMs);
      let partial = '';
      child.stdout!.setEncoding('utf8').on('data', (text: string) => {
        const lines = (partial + text).split('\n');
        partial = lines.pop()!;
        for (const line of lines) {
          stdout.push(line);
          const found = listeningAddress(line);
          if (found === undefined) continue;
          clearTimeout(timer);
          resolve(found);
        }
      });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`exited with code ${code} before listening`));
      });
    });
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(
      `bifrost-grpc ${(error as Error).message}\nstderr:\n${stderr.join('')}\nstdout:\n${stdout.join('\n')}`,
    );
  }

  return {
    address,
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

/** Runs `bifrost-grpc` expecting it to exit by itself (bad flags, `--help`); kills it after the timeout. */
export async function runGrpcGateway(
  options: GrpcGatewayProcessOptions = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { timeoutMs = 15_000 } = options;
  const { child, directory } = await spawnGrpcGateway(options);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
  });
  child.stderr!.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) =>
    child.once('close', (exitCode) => resolve(exitCode)),
  );
  clearTimeout(timer);
  running.delete(child);
  if (directory) await rm(directory, { recursive: true, force: true });
  return { code, stdout, stderr };
}

async function spawnGrpcGateway(
  options: GrpcGatewayProcessOptions,
): Promise<{ child: ChildProcess; directory: string | undefined }> {
  if (!existsSync(grpcGatewayBinary)) {
    throw new Error(`${grpcGatewayBinary} is missing: run \`pnpm run build\` at the repository root first`);
  }
  const args = [grpcGatewayBinary];
  let directory: string | undefined;
  if (options.config !== undefined) {
    directory = await mkdtemp(join(tmpdir(), 'bifrost-grpc-test-'));
    const path = join(directory, 'config.json');
    await writeFile(path, JSON.stringify(options.config, null, 2));
    args.push('-config', path);
  }
  args.push(...(options.args ?? []));
  // Only PATH: a developer's own API keys or proxy settings must never leak into a test.
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  return { child, directory };
}

function listeningAddress(line: string): string | undefined {
  try {
    const entry = JSON.parse(line) as { msg?: unknown; address?: unknown };
    return entry.msg === 'bifrost-grpc listening' && typeof entry.address === 'string'
      ? entry.address
      : undefined;
  } catch {
    return undefined;
  }
}
