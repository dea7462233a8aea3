#!/usr/bin/env node
// The gateway benchmark: `pnpm bench` (see bench/README.md, or `pnpm bench --help`).
// Starts the mock upstream and the gateway on 127.0.0.1, pinned to different cores, checks that both
// answer correctly, warms the gateway up, then runs every scenario twice, straight to the mock
// ("direct") and through the gateway, and reports what the gateway adds.

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  canPin,
  freePort,
  killAllNow,
  runLoadProcess,
  startProcess,
  stopAll,
  waitForHealth,
} from './lib/child-processes.mjs';
import { formatReport } from './lib/format-report.mjs';
import { probeChatCompletions } from './lib/probe-chat-completions.mjs';
import {
  clockTicksPerSecond,
  coreBusyPercent,
  readCoreTimes,
  readCpuMicros,
  readMemory,
} from './lib/process-stats.mjs';
import { defaultGatewayCommand, readOptions, usage } from './lib/read-options.mjs';

const benchDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = dirname(benchDir);
const openLoopScript = join(benchDir, 'lib/open-loop-load.mjs');
const closedLoopScript = join(benchDir, 'lib/closed-loop-load.mjs');

const options = readOptions(process.argv.slice(2), process.env);
if (options.help) {
  console.log(usage);
  process.exit(0);
}

/** The CPU list of a role ('gatewayCpus', 'mockCpus', ...) when pinning, otherwise undefined. */
const cpusFor = (role) => (options.pin ? options[role] : undefined);

process.on('exit', killAllNow);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    console.error(`\n${signal}: stopping the mock, the gateway and the load generator`);
    await stopAll();
    process.exit(130);
  });
}

try {
  await main();
} catch (error) {
  console.error(`bench failed: ${error.message}`);
  process.exitCode = 1;
} finally {
  await stopAll();
}

async function main() {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const resultsDir = join(benchDir, 'results');
  const runDir = join(resultsDir, stamp); // logs and the generated gateway config
  mkdirSync(runDir, { recursive: true });
  const log = (line) => console.error(`[bench] ${line}`);

  // ---- mock upstream -----------------------------------------------------------------------------
  const mockPort = await freePort();
  const upstream = `http://127.0.0.1:${mockPort}`;
  const mock = startProcess({
    command: process.execPath,
    args: [join(benchDir, 'mock-upstream.mjs')],
    cpus: cpusFor('mockCpus'),
    env: { PORT: String(mockPort) },
    logFile: join(runDir, 'mock.log'),
  });
  await waitForHealth(`${upstream}/health`, mock, 10_000);
  const setMock = (knobs) => postJson(`${upstream}/__mock/config`, knobs);
  const mockRequests = async () => (await (await fetch(`${upstream}/__mock/stats`)).json()).requests;

  // ---- gateway -----------------------------------------------------------------------------------
  const gatewayPort = await freePort();
  const configFile = join(runDir, 'gateway-config.json');
  writeFileSync(configFile, JSON.stringify(gatewayConfig(upstream), null, 2));
  const command = gatewayCommand({ port: gatewayPort, config: configFile, upstream });
  if (!options.gatewayCommand && !existsSync(join(repoRoot, 'transports/http/dist/cli.js'))) {
    throw new Error('transports/http/dist/cli.js is missing: run `pnpm build` first, or set GATEWAY_CMD');
  }
  log(`gateway: ${command}`);
  const startedAt = performance.now();
  const gateway = startProcess({
    command: 'sh',
    args: ['-c', command],
    cpus: cpusFor('gatewayCpus'),
    cwd: repoRoot,
    env: { BENCH_GATEWAY_PORT: String(gatewayPort), BENCH_UPSTREAM_URL: upstream, BENCH_CONFIG: configFile },
    logFile: join(runDir, 'gateway.log'),
  });
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  try {
    await waitForHealth(`${gatewayUrl}${options.healthPath}`, gateway, options.startupTimeout * 1000);
  } catch (error) {
    throw new Error(`gateway did not start (${error.message}); see ${relative(repoRoot, runDir)}/gateway.log`);
  }
  const startupMs = Math.round(performance.now() - startedAt);
  const memoryAtStart = readMemory(gateway.pid);
  log(`gateway ready in ${startupMs} ms, ${memoryAtStart.processes} process(es), RSS ${memoryAtStart.rssMiB} MiB`);

  const targets = {
    direct: { url: `${upstream}/v1/chat/completions`, model: 'gpt-4o-mini', headers: { authorization: 'Bearer sk-bench' } },
    gateway: {
      url: `${gatewayUrl}${options.gatewayPath}`,
      model: options.gatewayModel,
      headers: parseHeaders(options.gatewayHeaders.replaceAll('{upstream}', upstream)),
    },
  };

  // ---- correctness first: never measure a gateway that answers fast with errors -----------------
  await setMock(mockKnobs({}));
  const probes = {};
  for (const [name, target] of Object.entries(targets)) {
    probes[name] = await probeChatCompletions({ ...target, body: requestBody(target.model, false) });
    log(`probe ${name}: ${probes[name].json.message}; ${probes[name].stream.message}`);
    if (!probes[name].json.ok) throw new Error(`${name} answers non-streamed requests wrongly, not measuring`);
  }
  const streamWorks = probes.gateway.stream.ok;

  // ---- warm-up: let V8 optimise the gateway's hot paths before anything is recorded ---------------
  if (options.warmup > 0) {
    log(`warming the gateway up for ${options.warmup} s`);
    await closedLoop(targets.gateway, options.warmup, 0, cpusFor('loadCpus'));
    if (streamWorks) await openLoop({ gateway: targets.gateway }, options.streamRate, true, Math.min(3, options.warmup), 0);
  }

  // ---- the measured runs ---------------------------------------------------------------------------
  const results = [];
  for (const scenario of buildScenarios().filter(({ id }) => options.scenarios.includes(id))) {
    if (scenario.stream && !streamWorks) {
      log(`skipping ${scenario.id}: the gateway's streamed answer failed the probe`);
      continue;
    }
    log(scenario.label);
    await setMock(mockKnobs(scenario.mock));
    const { duration, leadIn } = options;
    let direct;
    if (scenario.load === 'closed') direct = await closedLoop(targets.direct, duration, leadIn, cpusFor('loadCpusDirect'));

    const before = {
      at: performance.now(),
      cores: readCoreTimes(),
      gateway: readCpuMicros(gateway.pid),
      mock: readCpuMicros(mock.pid),
      upstream: await mockRequests(),
    };
    let through;
    if (scenario.load === 'closed') {
      through = await closedLoop(targets.gateway, duration, leadIn, cpusFor('loadCpus'));
    } else {
      ({ direct, gateway: through } = await openLoop(targets, scenario.rate, scenario.stream, duration, leadIn));
    }
    const upstreamRequests = (await mockRequests()) - before.upstream;
    const gatewayCpuMicros = readCpuMicros(gateway.pid) - before.gateway;
    // Requests the gateway forwarded during the window, lead-in included: the divisor for its CPU time.
    const forwarded = upstreamRequests - (scenario.load === 'closed' ? 0 : direct.served);
    const perRequest = (micros, count) => (count > 0 ? Math.round(micros / count) : null);
    results.push({
      id: scenario.id,
      label: scenario.label,
      direct,
      gateway: through,
      gatewayRequests: forwarded,
      gatewayCpuMicrosPerRequest: perRequest(gatewayCpuMicros, forwarded),
      mockCpuMicrosPerRequest: perRequest(readCpuMicros(mock.pid) - before.mock, upstreamRequests),
      // Share of one core the gateway used, and how busy each core was: when the gateway is well below
      // 100% at max throughput, something else (load generator, mock, another tenant) was the limit.
      gatewayCpuPercent: Math.round(gatewayCpuMicros / ((performance.now() - before.at) * 10)),
      coreBusyPercent: coreBusyPercent(before.cores, readCoreTimes()),
      gatewayMemoryMiB: readMemory(gateway.pid),
    });
  }

  // ---- report --------------------------------------------------------------------------------------
  const memoryAtEnd = readMemory(gateway.pid);
  const report = {
    date: new Date().toISOString(),
    machine: { cpus: availableParallelism(), cpuModel: cpus()[0]?.model, node: process.version, clockTicksPerSecond },
    pinning: options.pin
      ? { gateway: options.gatewayCpus, mock: options.mockCpus, load: options.loadCpus, loadDirect: options.loadCpusDirect }
      : canPin
        ? 'off'
        : 'off (no taskset)',
    options,
    gateway: {
      name: options.gatewayName,
      command,
      startupMs,
      streamProbe: probes.gateway.stream,
      memoryMiB: { start: memoryAtStart.rssMiB, peak: memoryAtEnd.peakRssMiB, end: memoryAtEnd.rssMiB },
      processes: memoryAtEnd.processes,
    },
    scenarios: results,
  };
  const resultFile = join(resultsDir, `${stamp}.json`);
  writeFileSync(resultFile, `${JSON.stringify(report, null, 2)}\n`);
  console.log(formatReport(report));
  console.log(`\nJSON: ${relative(process.cwd(), resultFile)}   logs: ${relative(process.cwd(), runDir)}/`);
}

/** Past this the load process is killed; the open loop itself gives up on in-flight requests after 10 s. */
function loadLimitMs(duration, leadIn) {
  return (leadIn + duration + 20) * 1000;
}

/** Closed loop against one target, in its own process on `cpus`. */
function closedLoop(target, duration, leadIn, cpus) {
  const load = {
    url: target.url,
    headers: target.headers,
    body: requestBody(target.model, false),
    connections: options.connections,
    duration,
    leadIn,
  };
  return runLoadProcess(closedLoopScript, load, cpus, loadLimitMs(duration, leadIn));
}

/** Open loop at `rate` per target, the targets interleaved, in one process on the load generator's CPUs. */
function openLoop(targets, rate, stream, duration, leadIn) {
  const load = {
    targets: Object.entries(targets).map(([name, target]) => ({
      name,
      url: target.url,
      headers: target.headers,
      body: requestBody(target.model, stream),
    })),
    rate,
    stream,
    duration,
    leadIn,
    timeout: 10,
  };
  return runLoadProcess(openLoopScript, load, cpusFor('loadCpus'), loadLimitMs(duration, leadIn));
}

function buildScenarios() {
  const { connections, rate, streamRate, slowLatencyMs } = options;
  const upstreamAt = (latency_ms) => ({ latency_ms });
  return [
    { id: 'throughput', label: `max throughput, ${connections} connections`, load: 'closed', mock: upstreamAt(0) },
    { id: 'rate', label: `${rate} req/s, upstream 0 ms`, load: 'open', rate, mock: upstreamAt(0) },
    {
      id: 'rate-slow',
      label: `${rate} req/s, upstream ${slowLatencyMs} ms`,
      load: 'open',
      rate,
      mock: upstreamAt(slowLatencyMs),
    },
    { id: 'stream', label: `stream ${streamRate} req/s`, load: 'open', rate: streamRate, stream: true, mock: upstreamAt(0) },
  ];
}

function mockKnobs(overrides) {
  return {
    latency_ms: 0,
    response_bytes: options.responseBytes,
    stream_chunks: options.streamChunks,
    stream_interval_ms: options.streamIntervalMs,
    ...overrides,
  };
}

function gatewayConfig(upstream) {
  return {
    providers: {
      openai: {
        keys: [{ value: 'sk-bench', models: [], weight: 1 }],
        network_config: { base_url: upstream },
        concurrency_and_buffer_size: { concurrency: 1000, buffer_size: 5000 },
      },
    },
  };
}

function gatewayCommand({ port, config, upstream }) {
  let command = options.gatewayCommand ?? defaultGatewayCommand;
  if (!options.gatewayCommand && options.workers > 0) command += ' --workers {workers}';
  return command
    .replaceAll('{port}', String(port))
    .replaceAll('{config}', config)
    .replaceAll('{upstream}', upstream)
    .replaceAll('{workers}', String(options.workers || 1));
}

function requestBody(model, stream) {
  const body = { model, messages: [{ role: 'user', content: 'hello' }] };
  if (stream) body.stream = true;
  return JSON.stringify(body);
}

function parseHeaders(lines) {
  const headers = {};
  for (const line of lines.split('\n')) {
    const match = /^\s*([^:\s]+)\s*:\s*(.*?)\s*$/.exec(line);
    if (match) headers[match[1].toLowerCase()] = match[2];
  }
  return headers;
}

async function postJson(url, value) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(value),
  });
  if (!response.ok) throw new Error(`POST ${url} answered ${response.status}`);
  return response.json();
}
