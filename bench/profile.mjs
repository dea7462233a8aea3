#!/usr/bin/env node
// Where the gateway's CPU goes: `pnpm bench:profile` (see docs/benchmarks.md, "Profile").
// For each mode (plain, then streamed) it starts the mock upstream and the built gateway under
// `node --cpu-prof` on 127.0.0.1, warms up, runs a bounded closed-loop load, stops the gateway with SIGINT
// so V8 writes the profile, and prints self time by package, by file and by function for the measured
// window only (start-up and warm-up are left out). Frames in our bundles are mapped back to src/ through
// the bundles' source maps. Profiles stay in a temporary folder (printed) and are never written to the repo.

import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
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

const benchDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = dirname(benchDir);
const closedLoopScript = join(benchDir, 'lib/closed-loop-load.mjs');
const cli = join(repoRoot, 'transports/http/dist/cli.js');
const sourceMaps = new Map(); // bundle path -> SourceMap | null

const usage = `usage: node bench/profile.mjs [options]
  --modes LIST        plain,stream (default both)
  --duration S        measured seconds of load per mode (default 10)
  --warmup S          seconds of load before the measured window, left out of the report (default 3)
  --connections N     closed-loop connections (default 50)
  --top N             rows in the function table (default 25)
  --interval US       sampling interval of --cpu-prof in microseconds (default 1000; 100000 for a
                      CPU-per-request figure the profiler barely touches)
  --pin 0|1           gateway on cpu 1, mock and load on cpu 0 (default 1 when taskset exists)
The stream mode's mock sends 10 chunks with no delay between them, so per-chunk work dominates.`;

const { values: flags } = parseArgs({
  options: {
    modes: { type: 'string', default: 'plain,stream' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    top: { type: 'string', default: '25' },
    interval: { type: 'string', default: '1000' },
    pin: { type: 'string', default: canPin ? '1' : '0' },
    help: { type: 'boolean', default: false },
  },
});
if (flags.help) {
  console.log(usage);
  process.exit(0);
}
const options = {
  modes: flags.modes.split(',').filter((mode) => mode === 'plain' || mode === 'stream'),
  duration: Math.min(Number(flags.duration), 60), // bounded whatever is asked
  warmup: Math.min(Number(flags.warmup), 30),
  connections: Math.min(Number(flags.connections), 500),
  top: Number(flags.top),
  interval: Number(flags.interval),
  pin: flags.pin === '1',
};
const cpusFor = (role) => (options.pin ? { gateway: '1', mock: '0', load: '0' }[role] : undefined);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    await stopAll();
    process.exit(130);
  });
}

const workDir = mkdtempSync(join(tmpdir(), 'bifrost-profile-'));
console.error(`[profile] profiles and logs in ${workDir}`);
try {
  for (const mode of options.modes) printReport(mode, await profileMode(mode));
} catch (error) {
  console.error(`profile failed: ${error.message}`);
  process.exitCode = 1;
} finally {
  await stopAll();
}

async function profileMode(mode) {
  const stream = mode === 'stream';
  const modeDir = join(workDir, mode);
  const mockPort = await freePort();
  const upstream = `http://127.0.0.1:${mockPort}`;
  const mock = startProcess({
    command: process.execPath,
    args: [join(benchDir, 'mock-upstream.mjs')],
    cpus: cpusFor('mock'),
    env: { PORT: String(mockPort), STREAM_INTERVAL_MS: '0' },
    logFile: `${modeDir}-mock.log`,
  });
  await waitForHealth(`${upstream}/health`, mock, 10_000);
  const mockRequests = async () => (await (await fetch(`${upstream}/__mock/stats`)).json()).requests;

  const port = await freePort();
  const configFile = `${modeDir}-config.json`;
  writeFileSync(
    configFile,
    JSON.stringify({
      providers: {
        openai: {
          keys: [{ value: 'sk-bench', models: [], weight: 1 }],
          network_config: { base_url: upstream },
          concurrency_and_buffer_size: { concurrency: 1000, buffer_size: 5000 },
        },
      },
    }),
  );
  const spawnedAt = performance.now();
  const gateway = startProcess({
    command: process.execPath,
    args: [
      '--cpu-prof',
      `--cpu-prof-dir=${modeDir}`,
      `--cpu-prof-interval=${options.interval}`,
      cli,
      '-config',
      configFile,
      '-port',
      String(port),
      '-host',
      '127.0.0.1',
      '-log-level',
      'error',
    ],
    cpus: cpusFor('gateway'),
    logFile: `${modeDir}-gateway.log`,
  });
  const gatewayUrl = `http://127.0.0.1:${port}`;
  await waitForHealth(`${gatewayUrl}/health`, gateway, 20_000);
  const memoryAtStart = readMemory(gateway.pid);

  const load = (duration, leadIn) =>
    runLoadProcess(
      closedLoopScript,
      {
        url: `${gatewayUrl}/v1/chat/completions`,
        headers: {},
        body: JSON.stringify({
          model: 'openai/gpt-4o-mini',
          messages: [{ role: 'user', content: 'hello' }],
          stream,
        }),
        connections: options.connections,
        duration,
        leadIn,
      },
      cpusFor('load'),
      (duration + leadIn + 15) * 1000,
    );
  console.error(`[profile] ${mode}: warming up for ${options.warmup} s`);
  if (options.warmup > 0) await load(options.warmup, 0);

  console.error(`[profile] ${mode}: ${options.connections} connections for ${options.duration} s`);
  const requestsBefore = await mockRequests();
  const cpuBefore = readCpuMicros(gateway.pid);
  const windowStart = performance.now() - spawnedAt;
  const result = await load(options.duration, 1);
  const windowEnd = performance.now() - spawnedAt;
  const cpuMicros = readCpuMicros(gateway.pid) - cpuBefore;
  const forwarded = (await mockRequests()) - requestsBefore;
  const memoryAtEnd = readMemory(gateway.pid);

  // SIGINT lets the gateway shut down and exit normally, which is when V8 writes the profile.
  process.kill(gateway.pid, 'SIGINT');
  const timer = setTimeout(() => stopProcess(gateway, 100), 10_000);
  await gateway.exited;
  clearTimeout(timer);
  await stopProcess(mock);

  const profileFile = readdirSync(modeDir).find((name) => name.endsWith('.cpuprofile'));
  if (!profileFile) throw new Error(`${mode}: the gateway wrote no profile; see ${modeDir}-gateway.log`);
  // For further analysis of the same window (e.g. inclusive time) with other tools.
  writeFileSync(join(modeDir, 'window.json'), JSON.stringify({ fromMs: windowStart, toMs: windowEnd }));
  const profile = JSON.parse(readFileSync(join(modeDir, profileFile), 'utf8'));
  return {
    profilePath: join(modeDir, profileFile),
    load: result,
    cpuMicrosPerRequest: cpuMicros / Math.max(1, forwarded),
    requestsPerSecond: result.achievedRate,
    errors: result.errors + result.non2xx,
    memory: { startMiB: memoryAtStart.rssMiB, endMiB: memoryAtEnd.rssMiB, peakMiB: memoryAtEnd.peakRssMiB },
    selfTime: aggregateSelfTime(profile, windowStart, windowEnd),
  };
}

/**
 * Sums the self time of every sample between `fromMs` and `toMs` (milliseconds after the gateway was
 * spawned; the profile starts a few milliseconds later, which only blurs the window's edges).
 */
function aggregateSelfTime(profile, fromMs, toMs) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const byNode = new Map();
  let at = 0;
  let idle = 0;
  let busy = 0;
  for (let index = 0; index < profile.samples.length; index++) {
    at += profile.timeDeltas[index] ?? 0;
    const ms = at / 1000;
    if (ms < fromMs || ms > toMs) continue;
    const node = nodes.get(profile.samples[index]);
    if (node.callFrame.functionName === '(idle)') {
      idle++;
      continue;
    }
    busy++;
    byNode.set(node, (byNode.get(node) ?? 0) + 1);
  }
  const byPackage = new Map();
  const byFile = new Map();
  const byFunction = new Map();
  const add = (map, key, count, extra) => {
    const entry = map.get(key) ?? { key, count: 0, ...extra };
    entry.count += count;
    map.set(key, entry);
  };
  for (const [node, count] of byNode) {
    const frame = describeFrame(node.callFrame);
    add(byPackage, frame.owner, count);
    add(byFile, frame.file || frame.owner, count, { owner: frame.owner });
    add(byFunction, `${frame.name}\u0000${frame.location}`, count, {
      name: frame.name,
      location: frame.location,
      owner: frame.owner,
    });
  }
  const ranked = (map) => [...map.values()].sort((a, b) => b.count - a.count);
  return {
    busy,
    idle,
    byPackage: ranked(byPackage),
    byFile: ranked(byFile),
    byFunction: ranked(byFunction),
  };
}

/** The owner (package, `node:` core, V8), the file and the function of a frame, mapped to src/ when we can. */
function describeFrame({ functionName, url, lineNumber, columnNumber }) {
  const name = functionName || '(anonymous)';
  if (!url) {
    const owner = { '(garbage collector)': 'GC', '(program)': 'V8 / native (program)' }[functionName];
    // Native functions: V8 builtins and Node's C++ bindings (`writev` is the socket write itself).
    return { owner: owner ?? 'native (V8 builtins, C++ bindings)', file: '', name, location: '' };
  }
  if (url.startsWith('wasm:')) return { owner: 'undici llhttp (wasm)', file: url, name, location: url };
  if (url.startsWith('node:')) {
    const owner = url.startsWith('node:internal/deps/undici')
      ? 'undici (bundled in node, fetch)'
      : 'node core';
    return { owner, file: url, name, location: `${url}:${lineNumber + 1}` };
  }
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const dependency = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)\//.exec(path);
  if (dependency) {
    const file = path.slice(path.lastIndexOf(`${dependency[1]}/`));
    return { owner: dependency[1], file, name, location: `${file}:${lineNumber + 1}` };
  }
  const workspace = /\/((?:packages|transports|plugins)\/[^/]+)\//.exec(path);
  const owner = workspace ? workspace[1] : relative(repoRoot, path);
  const original = mapToSource(path, lineNumber, columnNumber);
  if (original) return { owner, file: original.file, name, location: `${original.file}:${original.line}` };
  const file = relative(repoRoot, path);
  return { owner, file, name, location: `${file}:${lineNumber + 1}` };
}

function mapToSource(path, lineNumber, columnNumber) {
  if (!sourceMaps.has(path)) {
    let map = null;
    try {
      map = new SourceMap(JSON.parse(readFileSync(`${path}.map`, 'utf8')));
    } catch {
      // no map next to the file
    }
    sourceMaps.set(path, map);
  }
  const map = sourceMaps.get(path);
  const entry = map?.findEntry(lineNumber, columnNumber);
  if (!entry?.originalSource) return undefined;
  const source = entry.originalSource.startsWith('file://')
    ? fileURLToPath(entry.originalSource)
    : resolve(dirname(path), entry.originalSource);
  return { file: relative(repoRoot, source), line: entry.originalLine + 1 };
}

function printReport(mode, report) {
  const { selfTime } = report;
  const percent = (count) => `${((100 * count) / Math.max(1, selfTime.busy)).toFixed(1)}%`.padStart(6);
  const busyShare = (100 * selfTime.busy) / Math.max(1, selfTime.busy + selfTime.idle);
  console.log(`\n== ${mode}: ${options.connections} connections, ${options.duration} s`);
  console.log(
    `${Math.round(report.requestsPerSecond)} req/s, ${report.errors} errors, ` +
      `${Math.round(report.cpuMicrosPerRequest)} µs CPU per request (profiler attached), ` +
      `RSS ${report.memory.startMiB.toFixed(0)} MiB at start, ${report.memory.endMiB.toFixed(0)} MiB at end, ` +
      `${report.memory.peakMiB.toFixed(0)} MiB peak`,
  );
  console.log(
    `main thread busy ${busyShare.toFixed(0)}% of the window (${selfTime.busy} samples); ` +
      `percentages below are of busy samples. Profile: ${report.profilePath}`,
  );
  console.log('\nself time by package');
  for (const row of selfTime.byPackage.slice(0, 12)) console.log(`  ${percent(row.count)}  ${row.key}`);
  console.log('\nself time by file');
  for (const row of selfTime.byFile.slice(0, 15)) console.log(`  ${percent(row.count)}  ${row.key}`);
  console.log('\nself time by function');
  for (const row of selfTime.byFunction.slice(0, options.top)) {
    console.log(`  ${percent(row.count)}  ${row.name.padEnd(34)} ${row.location || row.owner}`);
  }
}
