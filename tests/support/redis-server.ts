// Starts a real redis-server on a free loopback port for a test file: no persistence, stopped on teardown.
// Debian's `redis-server` package provides the binary (.ci/run installs it). Without it, suites skip with a
// printed reason, except under CI=true, where a missing binary is a failure.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { connect, createServer } from 'node:net';

/** A redis-server child process on 127.0.0.1. */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** Kills the server at once (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty, and waits until it answers PING. */
  restart(): Promise<void>;
  /** Stops the server for good. */
  stop(): Promise<void>;
}

const binary = process.env.REDIS_SERVER_BIN ?? 'redis-server';

/**
 * Whether `redis-server` can run here. Under CI=true a missing binary throws, so that a CI without Redis
 * fails loudly instead of skipping; elsewhere it prints why the Redis suites are skipped.
 */
export function hasRedisServer(): boolean {
  const probe = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  if (probe.status === 0) return true;
  const reason = `${binary} not found (${probe.error?.message ?? probe.stderr.trim()}); install Debian's redis-server package`;
  if (process.env.CI === 'true') throw new Error(`Redis tests need a redis-server binary: ${reason}`);
  console.warn(`Skipping the Redis tests: ${reason}`);
  return false;
}

async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.setTimeout(500);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

async function waitForPing(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}: ${output()}`);
    if (await ping(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`redis-server on port ${port} did not answer PING within 10 s: ${output()}`);
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts redis-server on a free port of 127.0.0.1 and waits until it answers PING. */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    let output = '';
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-2000);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-2000);
    });
    await waitForPing(port, child, () => output);
  };
  const kill = async () => {
    if (child === undefined) return;
    const running = child;
    child = undefined;
    running.kill('SIGKILL');
    await exited(running);
  };
  await start();
  return { port, url: `redis://127.0.0.1:${port}`, kill, restart: start, stop: kill };
}
