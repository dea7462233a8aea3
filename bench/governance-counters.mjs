#!/usr/bin/env node
// Governance counters' CPU cost: `pnpm bench:counters` (builds @bifrost/plugin-governance first).
// Runs a bounded number of admissions shaped like one governed request (a request limit, a token limit and two
// budgets, reserved at admission and settled after), in memory and against a redis-server on 127.0.0.1, and
// prints the µs of this process's CPU per admission. The target: at most 15 µs per request over off.
// Set REDIS_SERVER_BIN to use another binary; without redis-server the Redis row is skipped.

import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startRedis } from './lib/redis-server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const governance = await import(pathToFileURL(join(root, 'plugins/governance/dist/index.js')).href);
const { MemoryCounters, RedisCounters, parseResetDuration } = governance;

const count = Number(process.env.BENCH_COUNT ?? 50_000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 64);
const minute = { duration: parseResetDuration('1m') };
const month = { duration: parseResetDuration('1M'), mode: 'calendar' };

function checksFor(index) {
  const key = `vk-${index % 100}`;
  return [
    { key: `${key}:requests`, limit: 1e12, window: minute, amount: 1 },
    { key: `${key}:tokens`, limit: 1e12, window: minute, amount: 500 },
    { key: `${key}:budget`, limit: 1e12, window: month, amount: 0.01 },
    { key: `team-${index % 10}:budget`, limit: 1e12, window: month, amount: 0.01 },
  ];
}
const actual = [1, 420, 0.008, 0.008];

function cpuMicros(since) {
  const usage = process.cpuUsage(since);
  return usage.user + usage.system;
}

async function run(label, counters, total) {
  // Warm up, then measure.
  await drive(counters, Math.min(2000, total));
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  await drive(counters, total);
  const micros = cpuMicros(cpu);
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  return { label, admissions: total, cpuPerAdmission: micros / total, wallMs };
}

async function drive(counters, total) {
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const index = next++;
      const admission = await counters.reserve(checksFor(index));
      if (admission.reservation) await counters.settle(admission.reservation, actual);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

const rows = [];
rows.push(await run('memory', new MemoryCounters(), count));
const redis = await startRedis();
if (redis === undefined) console.log('redis-server not found: skipping the Redis row');
else {
  try {
    const counters = new RedisCounters({ url: redis.url });
    await counters.ready();
    rows.push(await run('redis (exact, auto-pipelined)', counters, Math.min(count, 20_000)));
    await counters.close();
  } finally {
    redis.stop();
  }
}

console.log(`governance counters: reserve 4 limits + settle, per admission (concurrency ${concurrency})`);
for (const row of rows) {
  const perSecond = Math.round(row.admissions / (row.wallMs / 1000));
  console.log(
    `  ${row.label.padEnd(30)} ${row.cpuPerAdmission.toFixed(2).padStart(7)} µs CPU  ${String(perSecond).padStart(8)} admissions/s  (${row.admissions})`,
  );
}
console.log('  target: governance on costs at most 15 µs of gateway CPU per request over off');
