#!/usr/bin/env node
// The bounded soak run: `pnpm soak` (5 minutes) or `pnpm soak --quick` (20 s); `pnpm soak --help` for options.
// Starts the mock upstream, an upstream that only fails, and the built gateway on 127.0.0.1; sends mixed traffic
// at a fixed rate (plain, streamed, failing upstream, cancelled mid-stream); then reports every class's counts and
// latency, and the gateway's RSS at start, peak, end, after an idle wait and after a forced full GC (the gateway
// runs with --expose-gc and a preload that collects on SIGUSR2). Exits 1 on any unexpected answer.

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freePort, killAllNow, startProcess, stopAll, waitForHealth } from './lib/child-processes.mjs';
import { readCpuMicros, readMemory } from './lib/process-stats.mjs';
import { runSoakLoad } from './lib/soak-load.mjs';
import { readSoakOptions, soakUsage } from './lib/soak-options.mjs';
import { formatSoakReport } from './lib/soak-report.mjs';

const benchDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = dirname(benchDir);
const gatewayCli = join(repoRoot, 'transports/http/dist/cli.js');

let options;
try {
  options = readSoakOptions(process.argv.slice(2), process.env);
} catch (error) {
  console.error(error.message);
  process.exit(2);
}
if (options.help) {
  console.log(soakUsage);
  process.exit(0);
}

process.on('exit', killAllNow);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    console.error(`\n${signal}: stopping the upstreams and the gateway`);
    await stopAll();
    process.exit(130);
  });
}

try {
  process.exitCode = (await main()) ? 0 : 1;
} catch (error) {
  console.error(`soak failed: ${error.message}`);
  process.exitCode = 1;
} finally {
  await stopAll();
}

/** Runs the soak; true when every answer was the expected one and the gateway is still healthy. */
async function main() {
  if (!existsSync(gatewayCli))
    throw new Error('transports/http/dist/cli.js is missing: run `pnpm build` first');
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const runDir = join(benchDir, 'results', `soak-${stamp}`);
  mkdirSync(runDir, { recursive: true });
  const log = (line) => console.error(`[soak] ${line}`);

  const mockPort = await freePort();
  const mock = startProcess({
    command: process.execPath,
    args: [join(benchDir, 'mock-upstream.mjs')],
    env: {
      PORT: String(mockPort),
      STREAM_CHUNKS: String(options.streamChunks),
      STREAM_INTERVAL_MS: String(options.streamIntervalMs),
    },
    logFile: join(runDir, 'mock.log'),
  });
  const failingPort = await freePort();
  const failing = startProcess({
    command: process.execPath,
    args: [join(benchDir, 'lib/soak-failing-upstream.mjs')],
    env: { PORT: String(failingPort) },
    logFile: join(runDir, 'failing-upstream.log'),
  });
  await waitForHealth(`http://127.0.0.1:${mockPort}/health`, mock, 10_000);
  await waitForHealth(`http://127.0.0.1:${failingPort}/health`, failing, 10_000);

  const gatewayPort = await freePort();
  const configFile = join(runDir, 'gateway-config.json');
  writeFileSync(configFile, JSON.stringify(gatewayConfig(mockPort, failingPort), null, 2));
  const gateway = startProcess({
    command: process.execPath,
    args: [
      '--expose-gc',
      '--import',
      pathToFileURL(join(benchDir, 'lib/soak-gc-on-signal.mjs')).href,
      gatewayCli,
      '-config',
      configFile,
      '-port',
      String(gatewayPort),
      '-host',
      '127.0.0.1',
    ],
    cwd: repoRoot,
    logFile: join(runDir, 'gateway.log'),
  });
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  try {
    await waitForHealth(`${gatewayUrl}/health`, gateway, 30_000);
  } catch (error) {
    throw new Error(
      `gateway did not start (${error.message}); see ${relative(repoRoot, runDir)}/gateway.log`,
    );
  }

  const memory = { start: readMemory(gateway.pid).rssMiB, peakSampled: 0, timeline: [] };
  memory.peakSampled = memory.start;
  // One reading a second: the peak, and a timeline that tells a plateau (warm heap) from a climb (a leak).
  const samples = [];
  const sample = () => {
    const rss = readMemory(gateway.pid).rssMiB;
    samples.push(rss);
    memory.peakSampled = Math.max(memory.peakSampled, rss);
  };
  log(
    `${options.durationSeconds} s at ${options.rate} req/s through ${relative(repoRoot, gatewayCli)}; ` +
      `gateway RSS ${memory.start} MiB at start`,
  );

  const busy = loadavg()[0];
  if (busy > cpus().length) {
    log(
      `WARNING: the machine is busy (load average ${busy.toFixed(1)} on ${cpus().length} cores); figures will be noisy`,
    );
  }
  const startedAt = performance.now();
  const cpuBefore = readCpuMicros(gateway.pid);
  const { classes, sendLagMs, peakInFlight } = await runSoakLoad({
    url: `${gatewayUrl}/v1/chat/completions`,
    rate: options.rate,
    durationSeconds: options.durationSeconds,
    onSecond: sample,
  });
  const loadSeconds = (performance.now() - startedAt) / 1000;
  const gatewayCpuPercent = Math.round((readCpuMicros(gateway.pid) - cpuBefore) / (loadSeconds * 1e4));
  sample();
  memory.timeline = tenths(samples);
  const atEnd = readMemory(gateway.pid);
  memory.end = atEnd.rssMiB;
  memory.peakHighWater = atEnd.peakRssMiB;

  log(`load done; idling ${options.idleSeconds} s before the last RSS reading`);
  await new Promise((resolve) => setTimeout(resolve, options.idleSeconds * 1000));
  memory.afterIdle = readMemory(gateway.pid).rssMiB;
  // A full collection, then a moment for the allocator to hand freed pages back.
  process.kill(gateway.pid, 'SIGUSR2');
  await new Promise((resolve) => setTimeout(resolve, 2000));
  memory.afterGc = readMemory(gateway.pid).rssMiB;
  const healthy = gateway.exitCode === null && (await answersHealth(`${gatewayUrl}/health`));

  const report = {
    date: new Date().toISOString(),
    node: process.version,
    options,
    loadSeconds: Math.round(loadSeconds * 10) / 10,
    loadAverageBefore: Math.round(busy * 10) / 10,
    sendLagMs,
    peakInFlight,
    gatewayCpuPercent,
    classes,
    memoryMiB: memory,
    gatewayHealthyAfter: healthy,
  };
  writeFileSync(join(runDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(formatSoakReport(report));
  console.log(`\nJSON and logs: ${relative(process.cwd(), runDir)}/`);
  const unexpected = Object.values(classes).reduce((sum, result) => sum + result.unexpected, 0);
  return unexpected === 0 && healthy;
}

function gatewayConfig(mockPort, failingPort) {
  return {
    providers: {
      openai: {
        keys: [{ value: 'sk-soak' }],
        network_config: { base_url: `http://127.0.0.1:${mockPort}` },
      },
      // No retries: each failing request is one upstream failure, answered as it came.
      groq: {
        keys: [{ value: 'gsk-soak' }],
        network_config: { base_url: `http://127.0.0.1:${failingPort}`, max_retries: 0 },
      },
    },
  };
}

/** Every tenth of the run's readings (first and last included), for a short timeline. */
function tenths(values) {
  if (values.length <= 11) return values;
  return Array.from({ length: 11 }, (_, index) => values[Math.round((index * (values.length - 1)) / 10)]);
}

async function answersHealth(url) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}
