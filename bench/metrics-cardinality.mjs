#!/usr/bin/env node
// Metrics under hostile label cardinality: `node bench/metrics-cardinality.mjs [--combinations 200000]`.
// Starts the mock upstream and the built gateway with the Prometheus plugin (`-prometheus-labels team,env`) on
// 127.0.0.1, sends one chat completion per distinct x-bf-prom-team × x-bf-prom-env pair, then scrapes /metrics
// a few times while polling /health, and prints the scrape time, the /metrics size, /health latency during a
// scrape and the gateway's RSS. Bounded: stops sending after --time-limit seconds whatever was sent.
//
//   --combinations <n>   distinct (team, env) pairs, one request each        (200000)
//   --concurrency <n>    requests in flight                                  (64)
//   --time-limit <s>     stop sending after this long                        (240)
//   --max-series <n>     the plugin's max_series_per_metric                  (the plugin's default)
//   --scrapes <n>        scrapes measured after the load                     (3)

import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freePort, killAllNow, startProcess, stopAll, waitForHealth } from './lib/child-processes.mjs';
import { readMemory } from './lib/process-stats.mjs';

const benchDir = dirname(fileURLToPath(import.meta.url));
const gatewayCli = join(dirname(benchDir), 'transports/http/dist/cli.js');

const { values: flags } = parseArgs({
  options: {
    combinations: { type: 'string', default: '200000' },
    concurrency: { type: 'string', default: '64' },
    'time-limit': { type: 'string', default: '240' },
    'max-series': { type: 'string' },
    scrapes: { type: 'string', default: '3' },
  },
});
const options = {
  combinations: Number(flags.combinations),
  concurrency: Number(flags.concurrency),
  timeLimitMs: Number(flags['time-limit']) * 1000,
  maxSeries: flags['max-series'] === undefined ? undefined : Number(flags['max-series']),
  scrapes: Number(flags.scrapes),
};

process.on('exit', killAllNow);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    await stopAll();
    process.exit(130);
  });
}

const directory = mkdtempSync(join(tmpdir(), 'bifrost-metrics-cardinality-'));
try {
  await main();
} catch (error) {
  console.error(`metrics-cardinality failed: ${error.message}`);
  process.exitCode = 1;
} finally {
  await stopAll();
  rmSync(directory, { recursive: true, force: true });
}

async function main() {
  if (!existsSync(gatewayCli))
    throw new Error('transports/http/dist/cli.js is missing: run `pnpm build` first');
  const log = (line) => console.error(`[metrics-cardinality] ${line}`);

  const mockPort = await freePort();
  const mock = startProcess({
    command: process.execPath,
    args: [join(benchDir, 'mock-upstream.mjs')],
    env: { PORT: String(mockPort) },
    logFile: join(directory, 'mock.log'),
  });
  await waitForHealth(`http://127.0.0.1:${mockPort}/health`, mock, 10_000);

  const pluginConfig = options.maxSeries === undefined ? {} : { max_series_per_metric: options.maxSeries };
  const configPath = join(directory, 'config.json');
  writeFileSync(
    configPath,
    JSON.stringify({
      providers: {
        openai: {
          keys: [{ value: 'sk-bench' }],
          network_config: { base_url: `http://127.0.0.1:${mockPort}` },
        },
      },
      plugins: [{ name: 'prometheus', enabled: true, config: pluginConfig }],
    }),
  );
  const port = await freePort();
  const args = [gatewayCli, '-config', configPath, '-port', String(port), '-host', '127.0.0.1'];
  const gateway = startProcess({
    command: process.execPath,
    args: [...args, '-prometheus-labels', 'team,env'],
    logFile: join(directory, 'gateway.log'),
  });
  const base = `http://127.0.0.1:${port}`;
  await waitForHealth(`${base}/health`, gateway, 15_000);
  const startMemory = readMemory(gateway.pid);

  log(`sending ${options.combinations} distinct team × env pairs, ${options.concurrency} in flight`);
  const load = await sendCombinations(port);
  log(`sent ${load.sent} in ${(load.ms / 1000).toFixed(1)} s, ${load.failed} not answered 200`);
  const loadedMemory = readMemory(gateway.pid);

  const idleHealth = await healthLatencies(base, 200);
  const scrapes = [];
  for (let index = 0; index < options.scrapes; index++) scrapes.push(await scrapeWhilePolling(base));
  const last = scrapes.at(-1);
  const report = {
    combinationsSent: load.sent,
    loadSeconds: round(load.ms / 1000),
    requestsPerSecond: Math.round(load.sent / (load.ms / 1000)),
    failed: load.failed,
    scrapeMs: scrapes.map((scrape) => round(scrape.ms)),
    scrapeStatus: scrapes.map((scrape) => scrape.status),
    metricsBytes: last.bytes,
    httpRequestsSeries: last.text.split('\n').filter((line) => line.startsWith('http_requests_total{'))
      .length,
    overflowCounter:
      last.text
        .split('\n')
        .filter((line) =>
          line.startsWith('bifrost_metrics_series_overflow_total{metric="http_requests_total"}'),
        )[0] ?? 'none',
    healthIdleMaxMs: round(Math.max(...idleHealth)),
    healthDuringScrapeMaxMs: scrapes.map((scrape) => round(scrape.healthMaxMs)),
    healthDuringScrapeProbes: scrapes.map((scrape) => scrape.healthProbes),
    rssMiB: {
      start: startMemory.rssMiB,
      afterLoad: loadedMemory.rssMiB,
      afterScrapes: readMemory(gateway.pid).rssMiB,
      peak: readMemory(gateway.pid).peakRssMiB,
    },
  };
  console.log(formatReport(report));
  console.log(JSON.stringify(report));
}

/** One chat completion per pair, team = i mod 500 and env = i div 500, until done or out of time. */
async function sendCombinations(port) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const body = JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
  const started = performance.now();
  const deadline = started + options.timeLimitMs;
  let next = 0;
  let failed = 0;
  const worker = async () => {
    while (next < options.combinations && performance.now() < deadline) {
      const index = next++;
      const status = await post(agent, port, body, {
        'x-bf-prom-team': `team-${index % 500}`,
        'x-bf-prom-env': `env-${Math.floor(index / 500)}`,
      });
      if (status !== 200) failed++;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  agent.destroy();
  return { sent: next, failed, ms: performance.now() - started };
}

function post(agent, port, body, headers) {
  return new Promise((resolve) => {
    const request = http.request(
      {
        agent,
        host: '127.0.0.1',
        port,
        path: '/v1/chat/completions',
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...headers,
        },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode));
      },
    );
    request.on('error', () => resolve(0));
    request.end(body);
  });
}

/** Latencies of `count` sequential GET /health, in ms. */
async function healthLatencies(base, count) {
  const latencies = [];
  for (let index = 0; index < count; index++) latencies.push(await timedHealth(base));
  return latencies;
}

async function timedHealth(base) {
  const started = performance.now();
  const response = await fetch(`${base}/health`);
  await response.arrayBuffer();
  return performance.now() - started;
}

/** One GET /metrics, read to the end, while /health is probed back to back on another connection. */
async function scrapeWhilePolling(base) {
  let scraping = true;
  const health = [];
  const poller = (async () => {
    while (scraping) health.push(await timedHealth(base));
  })();
  const started = performance.now();
  const response = await fetch(`${base}/metrics`);
  const text = await response.text();
  const ms = performance.now() - started;
  scraping = false;
  await poller;
  return {
    ms,
    status: response.status,
    text,
    bytes: Buffer.byteLength(text),
    healthMaxMs: Math.max(...health),
    healthProbes: health.length,
  };
}

function round(value) {
  return Math.round(value * 10) / 10;
}

function formatReport(report) {
  return [
    `combinations sent          ${report.combinationsSent} in ${report.loadSeconds} s (${report.requestsPerSecond} req/s, ${report.failed} failed)`,
    `scrape time                ${report.scrapeMs.join(' / ')} ms (status ${report.scrapeStatus.join(' / ')})`,
    `/metrics size              ${(report.metricsBytes / 1024 / 1024).toFixed(2)} MiB, ${report.httpRequestsSeries} http_requests_total series`,
    `overflow counter           ${report.overflowCounter}`,
    `/health max, idle          ${report.healthIdleMaxMs} ms`,
    `/health max, during scrape ${report.healthDuringScrapeMaxMs.join(' / ')} ms (${report.healthDuringScrapeProbes.join(' / ')} probes)`,
    `gateway RSS                ${report.rssMiB.start} MiB at start, ${report.rssMiB.afterLoad} after the load, ${report.rssMiB.afterScrapes} after the scrapes, peak ${report.rssMiB.peak}`,
  ].join('\n');
}
