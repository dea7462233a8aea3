import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The entry points of the reference MCP servers that tests/package.json installs; run with this node. */
export const everythingServer = fileURLToPath(
  new URL('../node_modules/@modelcontextprotocol/server-everything/dist/index.js', import.meta.url),
);
export const filesystemServer = fileURLToPath(
  new URL('../node_modules/@modelcontextprotocol/server-filesystem/dist/index.js', import.meta.url),
);

/** `server-everything` serving HTTP on 127.0.0.1, as a child of the test process. */
export interface EverythingHttpServer {
  /** The MCP endpoint: `http://127.0.0.1:PORT/mcp` for streamable HTTP, `/sse` for SSE. */
  url: string;
  port: number;
  /** Kills the server at once, as a crash would. */
  kill(): Promise<void>;
  /** Starts it again on the same port. */
  restart(): Promise<void>;
}

/**
 * Starts `server-everything streamableHttp` (or `sse`). It listens on `PORT` and prints no port of its own, so a
 * free port is picked first; it binds every interface, which on a test machine is harmless.
 */
export async function startEverythingHttpServer(
  mode: 'streamableHttp' | 'sse' = 'streamableHttp',
): Promise<EverythingHttpServer> {
  const port = await freePort();
  let child = await spawnListening(mode, port);
  return {
    url: `http://127.0.0.1:${port}/${mode === 'sse' ? 'sse' : 'mcp'}`,
    port,
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
    restart: async () => {
      child = await spawnListening(mode, port);
    },
  };
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

async function spawnListening(mode: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [everythingServer, mode], {
    env: { PATH: process.env.PATH ?? '', PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server-everything did not listen:\n${output}`)), 15_000);
    child.stderr!.setEncoding('utf8').on('data', (text: string) => {
      output += text;
      if (/(listening|running) on port/i.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server-everything exited with ${code}:\n${output}`));
    });
  });
  return child;
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The process ids of `parent`'s children whose command line contains `needle` (Linux and macOS `ps`). */
export async function childProcessIds(parent: number, needle: string): Promise<number[]> {
  const { stdout } = await promisify(execFile)('ps', ['-A', '-o', 'pid=,ppid=,args=']);
  return stdout
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((match) => match !== null && Number(match[2]) === parent && match[3]!.includes(needle))
    .map((match) => Number(match![1]));
}
