// RedisCounters against a real redis-server: several instances sharing counters, real expiry, and outages.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hasRedisServer,
  type RedisServer,
  startRedisServer,
} from '../../../../tests/support/redis-server.js';
import { parseResetDuration } from '../durations/parse-reset-duration.js';
import type { Admission, CounterCheck } from './counters.js';
import { CountersUnavailableError } from './counters.js';
import { RedisCounters, type RedisCountersOptions } from './redis-counters.js';

const minute = { duration: parseResetDuration('1m') };
const available = hasRedisServer();

describe.skipIf(!available)('RedisCounters on a real redis-server', () => {
  let server: RedisServer;
  let admin: Redis;
  const open: RedisCounters[] = [];

  beforeAll(async () => {
    server = await startRedisServer();
    admin = new Redis(server.url, { maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true });
    admin.on('error', () => {});
    await admin.connect();
  });
  afterAll(async () => {
    await Promise.all(open.map((counters) => counters.close()));
    admin.disconnect();
    await server?.stop();
  });

  async function gateway(options: Partial<RedisCountersOptions> = {}): Promise<RedisCounters> {
    const counters = new RedisCounters({ url: server.url, ...options });
    open.push(counters);
    await counters.ready();
    return counters;
  }

  const prefix = () => `test:${randomBytes(4).toString('hex')}:`;

  it('admits exactly N across two instances hammering the same key', async () => {
    const shared = prefix();
    const [first, second] = [await gateway({ prefix: shared }), await gateway({ prefix: shared })];
    const calls: Promise<Admission>[] = [];
    for (let index = 0; index < 300; index++) {
      calls.push(Promise.resolve((index % 2 === 0 ? first : second).consumeRequest('vk', 100, minute)));
    }
    const admissions = await Promise.all(calls);
    expect(admissions.filter((admission) => admission.admitted)).toHaveLength(100);
    expect(await admin.hget(`${shared}vk`, 'u')).toBe('100');
  });

  it('lets 50 concurrent reservations from two instances overspend a budget by at most one estimate', async () => {
    const shared = prefix();
    const [first, second] = [await gateway({ prefix: shared }), await gateway({ prefix: shared })];
    await first.charge('budget', minute, 9.9);
    const check: CounterCheck = { key: 'budget', limit: 10, window: minute, amount: 0.25 };
    const admissions = await Promise.all(
      Array.from({ length: 50 }, (_, index) => (index % 2 === 0 ? first : second).reserve([check])),
    );
    const admitted = admissions.filter((admission) => admission.admitted);
    expect(admitted).toHaveLength(1);
    await first.settle(admitted[0]!.reservation!, [0.25]);
    const usage = await second.usage('budget', minute);
    expect(usage.used - 10).toBeLessThanOrEqual(0.25);
    expect(usage.reserved).toBe(0);
  });

  it('falls back from EVALSHA to EVAL after the scripts are flushed', async () => {
    const counters = await gateway({ prefix: prefix() });
    expect((await counters.consumeRequest('vk', 5, minute)).admitted).toBe(true);
    await admin.script('FLUSH');
    expect(await counters.consumeRequest('vk', 5, minute)).toMatchObject({ admitted: true, remaining: 3 });
  });

  it('expires keys with the window in real time', async () => {
    const keys = prefix();
    const counters = await gateway({ prefix: keys });
    const second = { duration: parseResetDuration('1s') };
    expect((await counters.consumeRequest('vk', 1, second)).admitted).toBe(true);
    const ttl = await admin.pttl(`${keys}vk`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(1000);
    const refused = await counters.consumeRequest('vk', 1, second);
    if (!refused.admitted)
      await new Promise((resolve) => setTimeout(resolve, refused.resetAt - Date.now() + 20));
    expect((await counters.consumeRequest('vk', 1, second)).admitted).toBe(true);
  });
});

describe.skipIf(!available)('RedisCounters when Redis goes away', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('fails open: keeps admitting locally, warns once, and sends its own usage once when Redis returns', async () => {
    const warnings: string[] = [];
    const notices: string[] = [];
    const logger = {
      warn: (message: string) => warnings.push(message),
      info: (message: string) => notices.push(message),
    };
    const counters = new RedisCounters({ url: server.url, prefix: 'open:', logger });
    await counters.ready();
    for (let index = 0; index < 10; index++) await counters.consumeRequest('vk', 1000, minute);
    await server.kill();
    const during = await Promise.all(
      Array.from({ length: 40 }, () => counters.consumeRequest('vk', 1000, minute)),
    );
    expect(during.every((admission) => admission.admitted)).toBe(true);
    expect(counters.mode).toBe('outage');
    expect(warnings).toHaveLength(1);
    // Seeded with the 10 Redis had counted, plus the 40 admitted here.
    expect(await counters.usage('vk', minute)).toMatchObject({ used: 50 });

    await server.restart();
    await until(() => counters.mode === 'shared' && notices.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The restarted Redis is empty: it gets this instance's 40 outage admissions, once, not the seeded 10.
    expect((await counters.usage('vk', minute)).used).toBe(40);
    expect((await counters.consumeRequest('vk', 1000, minute)).remaining).toBe(959);
    expect(warnings).toHaveLength(1);
    await counters.close();
  });

  it('fails closed: refuses with CountersUnavailableError while Redis is down, then resumes', async () => {
    const counters = new RedisCounters({ url: server.url, prefix: 'closed:', failMode: 'closed' });
    await counters.ready();
    expect((await counters.consumeRequest('vk', 5, minute)).admitted).toBe(true);
    await server.kill();
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => Promise.resolve(counters.consumeRequest('vk', 5, minute))),
    );
    for (const result of results) {
      expect(result.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(CountersUnavailableError);
    }
    await server.restart();
    await until(() => counters.mode === 'shared');
    expect((await counters.consumeRequest('vk', 5, minute)).admitted).toBe(true);
    await counters.close();
  });

  it('settles a reservation made before the outage once Redis is back, without counting it twice', async () => {
    const counters = new RedisCounters({ url: server.url, prefix: 'settle:' });
    await counters.ready();
    const check: CounterCheck = { key: 'budget', limit: 10, window: minute, amount: 2 };
    const { reservation } = await counters.reserve([check]);
    await server.kill();
    await counters.settle(reservation!, [1.5]);
    await server.restart();
    await until(() => counters.mode === 'shared');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await counters.usage('budget', minute)).toMatchObject({ used: 1.5, reserved: 0 });
    await counters.close();
  });
});
