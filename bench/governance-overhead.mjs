#!/usr/bin/env node

// What governance costs the gateway per request: `pnpm bench:governance` (needs `pnpm build`).
// Runs the built gateway three times against the mock upstream on 127.0.0.1, each under the same bounded
// closed-loop load: governance off (the plugin disabled), on with in-memory counters, and on with counters in a
// redis-server on loopback (skipped without the binary). With governance on, every request carries a virtual
// key with a request limit, a token limit and a budget, so each one is checked, reserved and settled. Prints
// the gateway's CPU per request in each mode and the difference over off. Target: at most 15 µs over off.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  canPin,
  freePort,
  runLoadProcess,
  startProcess,
  stopAll,
  stopProcess,
  waitForHealth,
} from './lib/child-processes.mjs';
import { readCpuMicros, readMemory } from './lib/process-stats.mjs';
import { startRedis } from './lib/redis-server.mjs';

const benchDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = dirname(benchDir);
const closedLoopScript = join(benchDir, 'lib/closed-loop-load.mjs');
const cli = join(repoRoot, 'transports/http/dist/cli.js');

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    pin: { type: 'string', default: canPin ? '1' : '0' },
    modes: { type: 'string', default: 'off,memory,redis' },
  },
});
const options = {
  duration: Math.min(Number(flags.duration), 60), // bounded whatever is asked
  warmup: Math.min(Number(flags.warmup), 30),
  connections: Math.min(Number(flags.connections), 500),
  pin: flags.pin === '1',
  modes: flags.modes.split(','),
};
const cpusFor = (role) => (options.pin ? { gateway: '1', mock: '0', load: '0' }[role] : undefined);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    await stopAll();
    process.exit(130);
  });
}

const workDir = mkdtempSync(join(tmpdir(), 'bifrost-governance-bench-'));
const rows = [];
let redis;
try {
  for (const mode of options.modes) {
    if (mode === 'redis') {
      redis = await startRedis();
      if (redis === undefined) {
        console.log('redis-server not found: skipping the Redis mode');
        continue;
      }
    }
    rows.push(await measure(mode));
  }
  printReport(rows);
} catch (error) {
  console.error(`bench failed: ${error.stack ?? error.message}`);
  process.exitCode = 1;
} finally {
  redis?.stop();
  await stopAll();
  rmSync(workDir, { recursive: true, force: true });
}

async function measure(mode) {
  const mockPort = await freePort();
  const upstream = `http://127.0.0.1:${mockPort}`;
  const mock = startProcess({
    command: process.execPath,
    args: [join(benchDir, 'mock-upstream.mjs')],
    cpus: cpusFor('mock'),
    env: { PORT: String(mockPort) },
    logFile: join(workDir, `${mode}-mock.log`),
  });
  await waitForHealth(`${upstream}/health`, mock, 10_000);

  const port = await freePort();
  const configFile = join(workDir, `${mode}-config.json`);
  const config = {
    providers: {
      openai: {
        keys: [{ value: 'sk-bench', models: [], weight: 1 }],
        network_config: { base_url: upstream },
        concurrency_and_buffer_size: { concurrency: 1000, buffer_size: 5000 },
      },
    },
  };
  if (mode === 'off') config.plugins = [{ name: 'governance', enabled: false }];
  if (mode === 'redis') config.counters = { type: 'redis', url: redis.url };
  writeFileSync(configFile, JSON.stringify(config));
  const appDir = join(workDir, `${mode}-app`);
  const gateway = startProcess({
    command: process.execPath,
    args: [
      cli,
      ...['-config', configFile, '-app-dir', appDir, '-port', String(port), '-host', '127.0.0.1'],
      ...['-log-level', 'error'],
    ],
    cpus: cpusFor('gateway'),
    logFile: join(workDir, `${mode}-gateway.log`),
  });
  const gatewayUrl = `http://127.0.0.1:${port}`;
  await waitForHealth(`${gatewayUrl}/health`, gateway, 30_000);

  const headers = {};
  if (mode !== 'off') headers['x-bf-vk'] = await createVirtualKey(gatewayUrl);
  const load = (duration, leadIn) =>
    runLoadProcess(
      closedLoopScript,
      {
        url: `${gatewayUrl}/v1/chat/completions`,
        headers,
        body: JSON.stringify({
          model: 'openai/gpt-4o-mini',
          messages: [{ role: 'user', content: 'hello' }],
          max_tokens: 64,
        }),
        connections: options.connections,
        duration,
        leadIn,
      },
      cpusFor('load'),
      (duration + leadIn + 15) * 1000,
    );
  console.error(`[governance] ${mode}: warming up for ${options.warmup} s`);
  if (options.warmup > 0) await load(options.warmup, 0);
  console.error(`[governance] ${mode}: ${options.connections} connections for ${options.duration} s`);
  const cpuBefore = readCpuMicros(gateway.pid);
  const result = await load(options.duration, 1);
  const cpuMicros = readCpuMicros(gateway.pid) - cpuBefore;
  const memory = readMemory(gateway.pid);
  await stopProcess(gateway, 5000);
  await stopProcess(mock);
  const answered = result.completed;
  return {
    mode,
    requests: answered,
    errors: result.errors + result.non2xx,
    requestsPerSecond: result.achievedRate,
    cpuMicrosPerRequest: cpuMicros / Math.max(1, answered),
    rssMiB: memory.rssMiB,
  };
}

/** A virtual key with limits generous enough never to refuse, so every request is checked and settled. */
async function createVirtualKey(gatewayUrl) {
  const response = await fetch(`${gatewayUrl}/api/governance/virtual-keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: `bench-${Date.now()}`,
      provider_configs: [{ provider: 'openai', weight: 1, allowed_models: ['*'], key_ids: ['*'] }],
      rate_limit: {
        request_max_limit: 1e12,
        request_reset_duration: '1h',
        token_max_limit: 1e15,
        token_reset_duration: '1h',
      },
      budgets: [{ max_limit: 1e9, reset_duration: '1M' }],
    }),
  });
  const body = await response.json();
  if (response.status !== 200) throw new Error(`creating the virtual key: ${JSON.stringify(body)}`);
  return body.virtual_key.value;
}

function printReport(measured) {
  const off = measured.find((row) => row.mode === 'off');
  console.log(`governance overhead (${options.connections} connections, ${options.duration} s per mode)`);
  for (const row of measured) {
    const over =
      off && row !== off
        ? `  ${(row.cpuMicrosPerRequest - off.cpuMicrosPerRequest).toFixed(1).padStart(6)} µs over off`
        : '';
    console.log(
      `  ${row.mode.padEnd(7)} ${row.cpuMicrosPerRequest.toFixed(1).padStart(7)} µs CPU/req  ${String(Math.round(row.requestsPerSecond)).padStart(6)} req/s  ${String(row.errors).padStart(4)} errors  RSS ${row.rssMiB} MiB${over}`,
    );
  }
  console.log('  target: at most 15 µs of gateway CPU per request over off');
}
