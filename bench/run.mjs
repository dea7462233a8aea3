#!/usr/bin/env node
// The gateway benchmark: `pnpm bench` (see bench/README.md, or `pnpm bench --help`).
// Starts the mock upstream and the gateway on 127.0.0.1, pinned to different cores, checks that both
// answer correctly, warms the gateway up, then runs every scenario twice, straight to the mock
// ("direct") and through the gateway, and reports what the gateway adds.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
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

const options = readOptionsOrExit();
if (options.help) {
  console.log(usage);
  process.exit(0);
}

/** The CPU list of a role ('gatewayCpus', 'mockCpus', ...) when pinning, otherwise undefined. */
const cpusFor = (role) => (options.pin ? options[role] : undefined);

// The harness itself stays off the gateway's core too.
if (options.pin) spawnSync('taskset', ['-a', '-pc', options.loadCpus, String(process.pid)]);

process.on('exit', killAllNow);
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    interrupted = true;
    console.error(`\n${signal}: stopping the mock, the gateway and the load generator`);
    await stopAll();
    process.exit(130);
  });
}

try {
  await main();
} catch (error) {
  if (!interrupted) console.error(`bench failed: ${error.message}`);
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

  // Other work on the machine skews every figure; say so up front rather than after the run.
  const idle = await measureCoreBusy(1000);
  if (idle.some((core) => core.processes > 15)) {
    log(`WARNING: the machine is busy before the run (${describeCores(idle)}); figures will be noisy`);
  }

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
    throw new Error(
      `gateway did not start (${error.message}); see ${relative(repoRoot, runDir)}/gateway.log`,
    );
  }
  const startupMs = Math.round(performance.now() - startedAt);
  const memoryAtStart = readMemory(gateway.pid);
  log(
    `gateway ready in ${startupMs} ms, ${memoryAtStart.processes} process(es), RSS ${memoryAtStart.rssMiB} MiB`,
  );

  const targets = {
    direct: {
      url: `${upstream}/v1/chat/completions`,
      model: 'gpt-4o-mini',
      headers: { authorization: 'Bearer sk-bench' },
    },
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
    if (!probes[name].json.ok) {
      throw new Error(`${name} answers non-streamed requests wrongly, not measuring`);
    }
  }
  const streamWorks = probes.gateway.stream.ok;

  // ---- warm-up: let V8 optimise the gateway's hot paths before anything is recorded ---------------
  if (options.warmup > 0) {
    log(`warming the gateway up for ${options.warmup} s`);
    await closedLoop(targets.gateway, options.warmup, 0, cpusFor('loadCpus'));
    if (streamWorks) {
      const seconds = Math.min(3, options.warmup);
      await openLoop({ gateway: targets.gateway }, options.streamRate, true, seconds, 0);
    }
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
    results.push({ id: scenario.id, label: scenario.label, ...(await measureScenario(scenario)) });
  }

  // ---- report --------------------------------------------------------------------------------------
  const memoryAtEnd = readMemory(gateway.pid);
  const report = {
    date: new Date().toISOString(),
    machine: {
      busyBeforeRun: idle,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      node: process.version,
      clockTicksPerSecond,
    },
    pinning: options.pin
      ? {
          gateway: options.gatewayCpus,
          mock: options.mockCpus,
          load: options.loadCpus,
          loadDirect: options.loadCpusDirect,
        }
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

  /** Direct and gateway figures of one scenario, with the gateway's CPU time and memory over its run. */
  async function measureScenario(scenario) {
    const { duration, leadIn } = options;
    const closed = scenario.load === 'closed';
    // The closed-loop direct run comes first, on its own; open-loop runs interleave both targets.
    let direct = closed
      ? await closedLoop(targets.direct, duration, leadIn, cpusFor('loadCpusDirect'))
      : undefined;
    const before = {
      at: performance.now(),
      cores: readCoreTimes(),
      gateway: readCpuMicros(gateway.pid),
      mock: readCpuMicros(mock.pid),
      upstream: await mockRequests(),
    };
    let through;
    if (closed) through = await closedLoop(targets.gateway, duration, leadIn, cpusFor('loadCpus'));
    else
      ({ direct, gateway: through } = await openLoop(
        targets,
        scenario.rate,
        scenario.stream,
        duration,
        leadIn,
      ));
    const gatewayCpuMicros = readCpuMicros(gateway.pid) - before.gateway;
    const upstreamRequests = (await mockRequests()) - before.upstream;
    // Requests the gateway forwarded in the window, lead-in included: the divisor for its CPU time.
    const forwarded = upstreamRequests - (closed ? 0 : direct.served);
    const perRequest = (micros, count) => (count > 0 ? Math.round(micros / count) : null);
    return {
      direct,
      gateway: through,
      gatewayRequests: forwarded,
      gatewayCpuMicrosPerRequest: perRequest(gatewayCpuMicros, forwarded),
      mockCpuMicrosPerRequest: perRequest(readCpuMicros(mock.pid) - before.mock, upstreamRequests),
      // Share of one core the gateway used over the window, and how busy each core was: on the gateway's
      // core, the difference is other processes' work (the report warns when it is large).
      gatewayCpuPercent: Math.round(gatewayCpuMicros / ((performance.now() - before.at) * 10)),
      coreBusyPercent: coreBusyPercent(before.cores, readCoreTimes()),
      gatewayMemoryMiB: readMemory(gateway.pid),
    };
  }
}

function readOptionsOrExit() {
  try {
    return readOptions(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(error.message);
    process.exit(2);
  }
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
    {
      id: 'throughput',
      label: `max throughput, ${connections} connections`,
      load: 'closed',
      mock: upstreamAt(0),
    },
    { id: 'rate', label: `${rate} req/s, upstream 0 ms`, load: 'open', rate, mock: upstreamAt(0) },
    {
      id: 'rate-slow',
      label: `${rate} req/s, upstream ${slowLatencyMs} ms`,
      load: 'open',
      rate,
      mock: upstreamAt(slowLatencyMs),
    },
    {
      id: 'stream',
      label: `stream ${streamRate} req/s`,
      load: 'open',
      rate: streamRate,
      stream: true,
      mock: upstreamAt(0),
    },
  ];
}

async function measureCoreBusy(ms) {
  const before = readCoreTimes();
  await new Promise((resolve) => setTimeout(resolve, ms));
  return coreBusyPercent(before, readCoreTimes());
}

function describeCores(cores) {
  return cores.map((core, i) => `cpu${i} ${core.processes}% busy`).join(', ');
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
    .replaceAll('{config}', `'${config.replaceAll("'", "'\\''")}'`)
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
