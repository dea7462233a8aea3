// One behavioural suite, run against the in-memory counters and against Redis counters on a real redis-server.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hasRedisServer,
  type RedisServer,
  startRedisServer,
} from '../../../../tests/support/redis-server.js';
import { parseResetDuration } from '../durations/parse-reset-duration.js';
import type { CounterWindow } from '../durations/reset-window.js';
import type { CounterCheck, Counters } from './counters.js';
import { MemoryCounters } from './memory-counters.js';
import { RedisCounters } from './redis-counters.js';

const redisAvailable = hasRedisServer();
let server: RedisServer | undefined;
beforeAll(async () => {
  if (redisAvailable) server = await startRedisServer();
});
afterAll(async () => {
  await server?.stop();
});

interface Clock {
  now: () => number;
  advance: (milliseconds: number) => void;
}

// Starts at the real time and only moves forward, so Redis key expiry (absolute, from this clock) stays ahead.
function fakeClock(start = Date.now()): Clock {
  let now = start;
  return {
    now: () => now,
    advance: (milliseconds) => {
      now += milliseconds;
    },
  };
}

type Factory = (clock: Clock, reservationTtlMs?: number) => Promise<Counters>;

const implementations: [string, boolean, Factory][] = [
  [
    'MemoryCounters',
    false,
    async (clock, reservationTtlMs) => new MemoryCounters({ clock: clock.now, reservationTtlMs }),
  ],
  [
    'RedisCounters',
    !redisAvailable,
    async (clock, reservationTtlMs) => {
      const counters = new RedisCounters({
        url: server!.url,
        prefix: `test:${randomBytes(4).toString('hex')}:`,
        clock: clock.now,
        reservationTtlMs,
      });
      await counters.ready();
      return counters;
    },
  ],
];

const minute: CounterWindow = { duration: parseResetDuration('1m') };

describe.each(implementations)('%s', (_name, skip, create) => {
  it.skipIf(skip)(
    'admits exactly N requests of a limit of N, then refuses until the window resets',
    async () => {
      const clock = fakeClock();
      const counters = await create(clock);
      const admissions = await Promise.all(
        Array.from({ length: 8 }, () => counters.consumeRequest('vk', 5, minute)),
      );
      expect(admissions.filter((admission) => admission.admitted)).toHaveLength(5);
      const refused = await counters.consumeRequest('vk', 5, minute);
      expect(refused).toMatchObject({ admitted: false, index: 0, limit: 5, remaining: 0 });
      expect(refused.resetAt).toBeGreaterThan(clock.now());
      expect(refused.resetAt).toBeLessThanOrEqual(clock.now() + 60_000);
      clock.advance(refused.resetAt - clock.now());
      expect(await counters.consumeRequest('vk', 5, minute)).toMatchObject({ admitted: true, remaining: 4 });
      await counters.close();
    },
  );

  it.skipIf(skip)(
    'seeds a window from a durable copy once, and never over usage already counted',
    async () => {
      const clock = fakeClock();
      const counters = await create(clock);
      await counters.seed('budget', minute, 0.5);
      await counters.seed('budget', minute, 0.5);
      expect((await counters.usage('budget', minute)).used).toBe(0.5);
      await counters.charge('counting', minute, 2);
      await counters.seed('counting', minute, 7);
      expect((await counters.usage('counting', minute)).used).toBe(2);
      clock.advance(60_000);
      await counters.seed('budget', minute, 0.25);
      expect((await counters.usage('budget', minute)).used).toBe(0.25);
      await counters.close();
    },
  );

  it.skipIf(skip)('consumes nothing when one of several checks refuses', async () => {
    const counters = await create(fakeClock());
    const checks: CounterCheck[] = [
      { key: 'vk:requests', limit: 10, window: minute, amount: 1 },
      { key: 'team:budget', limit: 1, window: minute, amount: 0.4 },
      { key: 'customer:budget', limit: 5, window: minute, amount: 0.4 },
    ];
    await counters.charge('team:budget', minute, 1);
    const admission = await counters.reserve(checks);
    expect(admission).toMatchObject({ admitted: false, index: 1, reservation: undefined });
    expect((await counters.usage('vk:requests', minute)).used).toBe(0);
    expect(await counters.usage('customer:budget', minute)).toMatchObject({ used: 0, reserved: 0 });
    await counters.close();
  });

  it.skipIf(skip)(
    'lets 50 concurrent requests at a budget edge overspend by at most one estimate',
    async () => {
      const counters = await create(fakeClock());
      await counters.charge('budget', minute, 0.95);
      const check: CounterCheck = { key: 'budget', limit: 1, window: minute, amount: 0.08 };
      const admissions = await Promise.all(Array.from({ length: 50 }, () => counters.reserve([check])));
      const admitted = admissions.filter((admission) => admission.admitted);
      expect(admitted).toHaveLength(1);
      await Promise.all(admitted.map((admission) => counters.settle(admission.reservation!, [0.08])));
      const usage = await counters.usage('budget', minute);
      expect(usage.reserved).toBe(0);
      expect(usage.used).toBeCloseTo(1.03, 10);
      expect(usage.used - 1).toBeLessThanOrEqual(0.08);
      await counters.close();
    },
  );

  it.skipIf(skip)('settles below the estimate and frees the difference', async () => {
    const counters = await create(fakeClock());
    const check: CounterCheck = { key: 'tokens', limit: 1000, window: minute, amount: 600 };
    const first = await counters.reserve([check]);
    expect((await counters.reserve([check])).admitted).toBe(true); // 1200 held: the pre-check only needs < 1000
    expect((await counters.reserve([check])).admitted).toBe(false);
    await counters.settle(first.reservation!, [100]);
    expect(await counters.usage('tokens', minute)).toMatchObject({ used: 100, reserved: 600 });
    expect((await counters.reserve([check])).admitted).toBe(true);
    await counters.close();
  });

  it.skipIf(skip)('settles above the estimate and charges the real amount', async () => {
    const counters = await create(fakeClock());
    const check: CounterCheck = { key: 'budget', limit: 1, window: minute, amount: 0.1 };
    const admission = await counters.reserve([check]);
    await counters.settle(admission.reservation!, [1.5]);
    expect(await counters.usage('budget', minute)).toMatchObject({ used: 1.5, reserved: 0 });
    expect((await counters.reserve([check])).admitted).toBe(false);
    await counters.close();
  });

  it.skipIf(skip)('charges nothing for a released or refused request', async () => {
    const counters = await create(fakeClock());
    const check: CounterCheck = { key: 'budget', limit: 1, window: minute, amount: 0.5 };
    const admission = await counters.reserve([check]);
    await counters.release(admission.reservation!);
    expect(await counters.usage('budget', minute)).toMatchObject({ used: 0, reserved: 0 });
    await counters.charge('budget', minute, 1);
    expect((await counters.reserve([check])).admitted).toBe(false);
    expect(await counters.usage('budget', minute)).toMatchObject({ used: 1, reserved: 0 });
    await counters.close();
  });

  it.skipIf(skip)('lets an unsettled reservation expire', async () => {
    const clock = fakeClock();
    const counters = await create(clock, 2000);
    const check: CounterCheck = {
      key: 'budget',
      limit: 1,
      window: { duration: parseResetDuration('1h') },
      amount: 1,
    };
    expect((await counters.reserve([check])).admitted).toBe(true);
    expect((await counters.reserve([check])).admitted).toBe(false);
    clock.advance(2001);
    expect((await counters.usage('budget', check.window)).reserved).toBe(0);
    expect((await counters.reserve([check])).admitted).toBe(true);
    await counters.close();
  });

  it.skipIf(skip)('adds fractional dollars without drift', async () => {
    const counters = await create(fakeClock());
    for (let index = 0; index < 10; index++) await counters.charge('budget', minute, 0.1);
    expect((await counters.usage('budget', minute)).used).toBeCloseTo(1, 12);
    await counters.close();
  });

  it.skipIf(skip)('resets a calendar month on the 1st, whatever its length', async () => {
    const clock = fakeClock(Date.parse('2100-02-27T12:00:00Z'));
    const counters = await create(clock);
    const month: CounterWindow = { duration: parseResetDuration('1M'), mode: 'calendar' };
    const admission = await counters.consumeRequest('monthly', 1, month);
    expect(admission.resetAt).toBe(Date.parse('2100-03-01T00:00:00Z'));
    expect((await counters.consumeRequest('monthly', 1, month)).admitted).toBe(false);
    clock.advance(Date.parse('2100-03-01T00:00:00Z') - clock.now());
    expect((await counters.consumeRequest('monthly', 1, month)).admitted).toBe(true);
    await counters.close();
  });
});
