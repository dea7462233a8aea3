// Starting, pinning and stopping the processes of a run. Each child leads its own process group, so
// stopping it also stops whatever it started (npx, cluster workers), and nothing outlives the harness.

import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import net from 'node:net';

const running = new Set();
const hasTaskset = spawnSync('taskset', ['-V']).status === 0;

/**
 * Starts `command args` in its own process group, on the CPUs `cpus` (e.g. "1" or "0,1") when pinning is
 * possible, with stdout and stderr appended to `logFile` (or piped when there is none).
 * @returns {import('node:child_process').ChildProcess & { exited: Promise<number | null> }}
 */
export function startProcess({ command, args = [], cpus, env, cwd, logFile }) {
  const pinned = cpus !== undefined && cpus !== '' && hasTaskset;
  const log = logFile ? openSync(logFile, 'a') : 'pipe';
  const child = spawn(pinned ? 'taskset' : command, pinned ? ['-c', cpus, command, ...args] : args, {
    cwd,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', log, log],
  });
  if (typeof log === 'number') closeSync(log); // the child has its own copy
  running.add(child);
  watchFromOutside(child.pid);
  child.exited = new Promise((resolve) => {
    // 'close', not 'exit': piped output is complete by then.
    child.on('close', (code) => {
      running.delete(child);
      resolve(code);
    });
    child.on('error', () => {
      running.delete(child);
      resolve(null);
    });
  });
  return child;
}

// A watchdog process per child, for when the harness is killed with SIGKILL and cannot clean up: it
// kills the child's group once the harness is gone, and exits by itself once the group is gone.
const watchdog = `
  const [harness, group] = process.argv.slice(1).map(Number);
  setInterval(() => {
    try { process.kill(harness, 0); process.kill(-group, 0); return; } catch {}
    try { process.kill(-group, 'SIGKILL'); } catch {}
    process.exit(0);
  }, 500);`;

function watchFromOutside(groupId) {
  const args = ['-e', watchdog, String(process.pid), String(groupId)];
  spawn(process.execPath, args, { detached: true, stdio: 'ignore' }).unref();
}

/** Whether `taskset` is there to pin processes to CPUs. */
export const canPin = hasTaskset;

/** Stops one child's process group: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopProcess(child, graceMs = 3000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  signalGroup(child, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
  await child.exited;
  clearTimeout(timer);
  signalGroup(child, 'SIGKILL'); // the leader is gone; its group may not be
}

/** Stops every child still running. */
export async function stopAll() {
  await Promise.all([...running].map((child) => stopProcess(child)));
}

/** Last resort on process exit, where only synchronous work runs. */
export function killAllNow() {
  for (const child of running) signalGroup(child, 'SIGKILL');
}

function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/**
 * Runs a load script (`node script '<options json>'`) pinned to `cpus` and returns the JSON it prints.
 * Killed if it runs past `timeoutMs`.
 */
export async function runLoadProcess(script, options, cpus, timeoutMs) {
  const child = startProcess({ command: process.execPath, args: [script, JSON.stringify(options)], cpus });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const timer = setTimeout(() => stopProcess(child, 500), timeoutMs);
  const code = await child.exited;
  clearTimeout(timer);
  const line = stdout.trim().split('\n').pop();
  if (code !== 0 || !line) throw new Error(`load process exited with ${code}: ${stderr.slice(-500)}`);
  return JSON.parse(line);
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers 200; fails when `child` exits first or after `timeoutMs`. */
export async function waitForHealth(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode} before ${url} answered`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
}
