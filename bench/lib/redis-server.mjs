// A throwaway redis-server on 127.0.0.1 for benches: no persistence, killed when the bench ends.

import { spawn, spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { freePort } from './child-processes.mjs';

/**
 * Starts redis-server ($REDIS_SERVER_BIN or the one on PATH) on a free loopback port and waits for PING;
 * undefined when there is no binary.
 * @returns {Promise<{ url: string, stop: () => void } | undefined>}
 */
export async function startRedis() {
  const binary = process.env.REDIS_SERVER_BIN ?? 'redis-server';
  if (spawnSync(binary, ['--version']).status !== 0) return undefined;
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child = spawn(binary, args, { stdio: 'ignore' });
  for (let attempt = 0; attempt < 250 && !(await ping(port)); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { url: `redis://127.0.0.1:${port}`, stop: () => child.kill('SIGKILL') };
}

function ping(port) {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
  });
}
