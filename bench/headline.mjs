#!/usr/bin/env node
// Upstream Bifrost's headline, scaled to this machine: `pnpm bench:headline` (`--help` for options).
// Bifrost claims 100% success at 5,000 req/s with a ~1.5 s upstream. Here, on 2 cores: a 1.5 s mock upstream at
// 1,000 and 2,000 req/s, i.e. 1,500 and 3,000 requests in flight, gateway pinned to one core, the mock and the
// load generator on the other. For each rate, on 127.0.0.1 only: a fresh mock, the same open-loop load straight to
// the mock ("direct"), then a fresh gateway and the load through it. The first seconds of every run ("burst",
// every connection new, V8 cold) are reported apart from the rest ("warm").
//
// The gateway's config admits the in-flight count: `concurrency_and_buffer_size` of 4000 / 8000. With the
// defaults (1000 / 5000) at most 1,000 requests run upstream at once, so with a 1.5 s upstream the gateway serves
// at most ~667 req/s: at 1,000 req/s the queue grows by ~333 a second, and latency with it (each second of run
// adds about half a second of wait), until the 5,000-deep buffer is full and callers wait in the overflow (or get
// 429s with -drop-excess-requests). Try it with `--concurrency 1000 --buffer-size 5000`.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  freePort,
  killAllNow,
  startProcess,
  stopAll,
  stopProcess,
  waitForHealth,
} from './lib/child-processes.mjs';
import { formatHeadlineReport } from './lib/headline-report.mjs';
import { coreBusyPercent, readCoreTimes, readCpuMicros, readMemory } from './lib/process-stats.mjs';

const benchDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = dirname(benchDir);
const loadScript = join(benchDir, 'lib/headline-load.mjs');
const backlogPreload = pathToFileURL(join(benchDir, 'lib/listen-backlog.mjs')).href;

const usage = `Usage: pnpm bench:headline [--flag value ...]

  --rates <list>          requests per second, one run each                (1000,2000)
  --duration <s>          warm seconds per run, after the burst             (20)
  --burst <s>             opening seconds reported apart                    (3)
  --latency-ms <ms>       the mock upstream's fixed latency                 (1500)
  --concurrency <n>       the provider's concurrency                        (4000)
  --buffer-size <n>       the provider's buffer_size                        (8000)
  --backlog <n>           passed to the gateway as -backlog                 (unset: its default, 4096)
  --connect-timeout <s>   client connect timeout; later counts as failed    (10)
  --direct <0|1>          also run the load straight to the mock            (1)
  --pin <0|1>             pin with taskset: gateway cpu 1, mock and load 0  (1)
  --help

Takes about (burst + duration + 10) s twice per rate, 2 to 2.5 minutes with the defaults. Stops by itself.
Targets: 100% success in every window; warm added p50 <= 2 ms and p99 <= 50 ms.
`;

const options = readOptionsOrExit(process.argv.slice(2));
if (options.help) {
  console.log(usage);
  process.exit(0);
}
const pinned = (cpus) => (options.pin ? cpus : undefined);
if (options.pin) spawnSync('taskset', ['-a', '-pc', '0', String(process.pid)]);

process.on('exit', killAllNow);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    console.error(`\n${signal}: stopping the mock, the gateway and the load generator`);
    await stopAll();
    process.exit(130);
  });
}

const log = (line) => console.error(`[headline] ${line}`);
try {
  await main();
} catch (error) {
  console.error(`bench:headline failed: ${error.message}`);
  process.exitCode = 1;
} finally {
  await stopAll();
}

async function main() {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const workDir = mkdtempSync(join(tmpdir(), 'bifrost-headline-'));
  const fileLimit = raiseFileLimit(Math.max(...options.rates) * (options.latencyMs / 1000) * 3);
  log(`logs in ${workDir}; open files per process: ${fileLimit}`);
  const runs = [];
  for (const rate of options.rates) runs.push(await measureRate(rate, workDir, fileLimit));
  const report = { date: new Date().toISOString(), node: process.version, options, fileLimit, runs };
  const resultsDir = join(benchDir, 'results');
  mkdirSync(resultsDir, { recursive: true });
  const resultFile = join(resultsDir, `headline-${stamp}.json`);
  writeFileSync(resultFile, `${JSON.stringify(report, null, 2)}\n`);
  console.log(formatHeadlineReport(report));
  console.log(`\nJSON: ${relative(process.cwd(), resultFile)}   logs: ${workDir}`);
}

/** Direct run, then a fresh gateway's run, at one rate. */
async function measureRate(rate, workDir, fileLimit) {
  const loadAverage = loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
  log(`${rate} req/s: load average ${loadAverage}`);
  const mockPort = await freePort();
  const upstream = `http://127.0.0.1:${mockPort}`;
  const mock = startProcess({
    ...withFileLimit(fileLimit, process.execPath, [
      '--import',
      backlogPreload,
      join(benchDir, 'mock-upstream.mjs'),
    ]),
    cpus: pinned('0'),
    env: { PORT: String(mockPort), LATENCY_MS: String(options.latencyMs), LISTEN_BACKLOG: '4096' },
    logFile: join(workDir, `mock-${rate}.log`),
  });
  await waitForHealth(`${upstream}/health`, mock, 10_000);
  const body = (model) => JSON.stringify({ model, messages: [{ role: 'user', content: 'hello' }] });

  let direct;
  if (options.direct) {
    log(`${rate} req/s straight to the mock`);
    direct = await measureLoad({
      rate,
      url: `${upstream}/v1/chat/completions`,
      body: body('gpt-4o-mini'),
      fileLimit,
    });
  }

  const gatewayPort = await freePort();
  const configFile = join(workDir, `gateway-config-${rate}.json`);
  writeFileSync(configFile, JSON.stringify(gatewayConfig(upstream), null, 2));
  const args = [
    join(repoRoot, 'transports/http/dist/cli.js'),
    '-config',
    configFile,
    '-port',
    String(gatewayPort),
  ];
  args.push('-host', '127.0.0.1', '-log-level', 'error');
  if (options.backlog !== undefined) args.push('-backlog', String(options.backlog));
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  const gateway = await startGateway(
    args,
    `${gatewayUrl}/health`,
    fileLimit,
    join(workDir, `gateway-${rate}.log`),
  );
  const url = `${gatewayUrl}/v1/chat/completions`;
  await probe(url, body('openai/gpt-4o-mini'));
  const rssAtStart = readMemory(gateway.pid).rssMiB;
  log(`${rate} req/s through the gateway (RSS at start ${rssAtStart} MiB)`);
  const through = await measureLoad({ rate, url, body: body('openai/gpt-4o-mini'), gateway, fileLimit });
  await stopProcess(gateway);
  await stopProcess(mock);
  return { rate, loadAverage, direct, gateway: { ...through, rssAtStartMiB: rssAtStart } };
}

/**
 * Starts the built gateway on cpu 1 and waits for its /health. A rebuild in progress deletes dist/ for a while
 * (the build cleans it first), so a start that fails is retried for up to a minute.
 */
async function startGateway(args, healthUrl, fileLimit, logFile) {
  for (let attempt = 1; ; attempt++) {
    const gateway = startProcess({
      ...withFileLimit(fileLimit, process.execPath, args),
      cpus: pinned('1'),
      cwd: repoRoot,
      logFile,
    });
    try {
      await waitForHealth(healthUrl, gateway, 30_000);
      return gateway;
    } catch (error) {
      await stopProcess(gateway);
      if (attempt === 6) throw new Error(`the gateway did not start (${error.message}); see ${logFile}`);
      log(`the gateway did not start (a build in progress?); retrying in 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 10_000));
    }
  }
}

/** One load run in its own process on cpu 0, with the gateway's CPU and memory sampled each second. */
async function measureLoad({ rate, url, body, gateway, fileLimit }) {
  const load = {
    url,
    body,
    rate,
    burstSeconds: options.burst,
    durationSeconds: options.duration,
    connectTimeoutMs: options.connectTimeout * 1000,
    maxInFlight: fileLimit - 1000,
  };
  const overflowsBefore = readListenOverflows();
  const coresBefore = readCoreTimes();
  const cpuAtStart = cpuOf(gateway);
  const startedAt = performance.now();
  const child = startProcess({
    ...withFileLimit(fileLimit, process.execPath, [loadScript, JSON.stringify(load)]),
    cpus: pinned('0'),
  });
  let stdout = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => process.stderr.write(chunk));
  // Per-second samples of the gateway's CPU (share of one core), the time its threads were runnable but waited
  // for a CPU (other processes on its core), its RSS, and the load generator's CPU.
  const samples = [];
  const read = () => ({
    at: performance.now(),
    gateway: cpuOf(gateway),
    gatewayWait: gateway ? mainThreadWaitMicros(gateway.pid) : 0,
    load: cpuOf(child),
  });
  let last = read();
  const sampler = setInterval(() => {
    const now = read();
    const percent = (field) => Math.round((now[field] - last[field]) / ((now.at - last.at) * 10));
    samples.push({
      second: Math.round((now.at - startedAt) / 1000),
      gatewayCpu: gateway ? percent('gateway') : undefined,
      gatewayWaitingForCpu: gateway ? percent('gatewayWait') : undefined,
      loadCpu: percent('load'),
      gatewayRssMiB: gateway ? readMemory(gateway.pid).rssMiB : undefined,
    });
    last = now;
  }, 1000);
  const limit = setTimeout(() => stopProcess(child, 500), (options.burst + options.duration + 60) * 1000);
  const code = await child.exited;
  clearTimeout(limit);
  clearInterval(sampler);
  const line = stdout.trim().split('\n').pop();
  if (code !== 0 || !line) throw new Error(`load process exited with ${code}`);
  const result = JSON.parse(line);
  const overflowsAfter = readListenOverflows();
  const sent = (second) => second <= options.burst + 1; // the load process starts ~0.1 s after the sampler
  const average = (list) =>
    list.length ? Math.round(list.reduce((sum, value) => sum + value, 0) / list.length) : undefined;
  const cpu = (predicate, field) =>
    average(samples.filter(({ second }) => predicate(second)).map((s) => s[field]));
  const loadEnds = options.burst + options.duration + 1;
  const gatewayCpuMicros = gateway ? cpuOf(gateway) - cpuAtStart : 0;
  return {
    ...result,
    listenOverflows: overflowsAfter.overflows - overflowsBefore.overflows,
    listenDrops: overflowsAfter.drops - overflowsBefore.drops,
    coreBusyPercent: coreBusyPercent(coresBefore, readCoreTimes()),
    gatewayCpuPercent: gateway
      ? {
          burst: cpu(sent, 'gatewayCpu'),
          warm: cpu((second) => !sent(second) && second <= loadEnds, 'gatewayCpu'),
          busiestSecond: Math.max(...samples.map((s) => s.gatewayCpu)),
        }
      : undefined,
    gatewayCpuMicrosPerRequest: gateway
      ? Math.round(gatewayCpuMicros / (result.burst.sent + result.warm.sent))
      : undefined,
    gatewayWaitingForCpuPercent: gateway
      ? {
          burst: cpu(sent, 'gatewayWaitingForCpu'),
          warm: cpu((second) => !sent(second) && second <= loadEnds, 'gatewayWaitingForCpu'),
          worstSecond: Math.max(...samples.map((s) => s.gatewayWaitingForCpu)),
        }
      : undefined,
    loadCpuPercent: { busiestSecond: Math.max(...samples.map((s) => s.loadCpu)) },
    gatewayPeakRssMiB: gateway ? readMemory(gateway.pid).peakRssMiB : undefined,
    samples,
  };
}

function cpuOf(child) {
  return child ? readCpuMicros(child.pid) : 0;
}

/**
 * Time the process's main thread spent runnable but waiting for a CPU (/proc/<pid>/task/<pid>/schedstat, second
 * field, ns), in microseconds: on a pinned process, the share of its core that other processes, or its own GC
 * helper threads, took from it.
 */
function mainThreadWaitMicros(pid) {
  try {
    return Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1000;
  } catch {
    return 0; // the process ended
  }
}

/** ListenOverflows and ListenDrops from /proc/net/netstat: connections the kernel dropped, machine-wide. */
function readListenOverflows() {
  const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n');
  const index = lines.findIndex((line) => line.startsWith('TcpExt:'));
  const names = lines[index].split(/\s+/);
  const values = lines[index + 1].split(/\s+/).map(Number);
  return {
    overflows: values[names.indexOf('ListenOverflows')],
    drops: values[names.indexOf('ListenDrops')],
  };
}

async function probe(url, body) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    signal: AbortSignal.timeout(options.latencyMs + 10_000),
  });
  const text = await response.text();
  if (response.status !== 200 || !text.includes('"chat.completion"')) {
    throw new Error(`the gateway answered the probe with ${response.status}: ${text.slice(0, 200)}`);
  }
}

function gatewayConfig(upstream) {
  return {
    providers: {
      openai: {
        keys: [{ value: 'sk-bench', models: [], weight: 1 }],
        network_config: { base_url: upstream },
        concurrency_and_buffer_size: { concurrency: options.concurrency, buffer_size: options.bufferSize },
      },
    },
  };
}

/**
 * The soft limit on open files every child gets: the gateway holds two sockets per request in flight. Raised
 * up to the hard limit when the current one is short; the report says what it was.
 */
function raiseFileLimit(needed) {
  const [soft, hard] = spawnSync('sh', ['-c', 'ulimit -n; ulimit -Hn'], { encoding: 'utf8' })
    .stdout.trim()
    .split('\n')
    .map((value) => (value === 'unlimited' ? Number.POSITIVE_INFINITY : Number(value)));
  if (soft >= needed) return soft;
  const raised = Math.min(hard, 65_535);
  if (raised < needed) log(`WARNING: open files limited to ${raised}, fewer than the ${needed} needed`);
  return raised;
}

/** `command args` run through `sh` with `ulimit -n limit` first (exec, so no shell stays around). */
function withFileLimit(limit, command, args) {
  const quote = (value) => `'${String(value).replaceAll("'", "'\\''")}'`;
  return {
    command: 'sh',
    args: ['-c', `ulimit -n ${limit} && exec ${[command, ...args].map(quote).join(' ')}`],
  };
}

function readOptionsOrExit(argv) {
  const values = {};
  for (let index = 0; index < argv.length; index++) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[index]);
    if (!match) exitWithUsage(`unexpected argument ${argv[index]}`);
    values[match[1]] = match[1] === 'help' ? '1' : (match[2] ?? argv[++index]);
  }
  const known =
    'rates duration burst latency-ms concurrency buffer-size backlog connect-timeout direct pin help';
  for (const name of Object.keys(values))
    if (!known.split(' ').includes(name)) exitWithUsage(`unknown --${name}`);
  const number = (name, fallback) => {
    if (values[name] === undefined) return fallback;
    const parsed = Number(values[name]);
    if (!Number.isFinite(parsed) || parsed < 0) exitWithUsage(`--${name} must be a non-negative number`);
    return parsed;
  };
  const rates = (values.rates ?? '1000,2000').split(',').map(Number);
  if (rates.some((rate) => !(rate > 0) || rate > 5000)) exitWithUsage('--rates must be between 1 and 5000');
  const duration = number('duration', 20);
  const burst = number('burst', 3);
  if (duration + burst > 300) exitWithUsage('--burst plus --duration must stay within 300 s');
  return {
    help: values.help === '1',
    rates,
    duration,
    burst,
    latencyMs: number('latency-ms', 1500),
    concurrency: number('concurrency', 4000),
    bufferSize: number('buffer-size', 8000),
    backlog: number('backlog', undefined),
    connectTimeout: number('connect-timeout', 10),
    direct: number('direct', 1) !== 0,
    pin: number('pin', 1) !== 0 && spawnSync('taskset', ['-V']).status === 0,
  };
}

function exitWithUsage(message) {
  console.error(`${message}\n\n${usage}`);
  process.exit(2);
}
