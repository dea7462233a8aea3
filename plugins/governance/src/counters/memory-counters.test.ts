import { describe, expect, it } from 'vitest';
import { parseResetDuration } from '../durations/parse-reset-duration.js';
import type { CounterCheck } from './counters.js';
import { MemoryCounters } from './memory-counters.js';

const minute = { duration: parseResetDuration('1m') };

function fakeClock(start = Date.parse('2026-03-10T10:00:00Z')) {
  let now = start;
  return {
    now: () => now,
    advance: (milliseconds: number) => {
      now += milliseconds;
    },
  };
}

describe('MemoryCounters', () => {
  it('answers synchronously, without a promise', () => {
    const counters = new MemoryCounters();
    const admission = counters.consumeRequest('vk:a', 1, minute);
    expect(admission).not.toBeInstanceOf(Promise);
    expect(admission.admitted).toBe(true);
  });

  it('reports the reset time of the window', () => {
    const clock = fakeClock(Date.parse('2026-03-10T10:00:30Z'));
    const counters = new MemoryCounters({ clock: clock.now });
    expect(counters.consumeRequest('vk:a', 5, minute).resetAt).toBe(Date.parse('2026-03-10T10:01:00Z'));
  });

  it('keeps reservations that outlive their window and charges them to the new one', () => {
    const clock = fakeClock();
    const counters = new MemoryCounters({ clock: clock.now });
    const check: CounterCheck = { key: 'budget', limit: 10, window: minute, amount: 4 };
    const { reservation } = counters.reserve([check]);
    clock.advance(60_000);
    expect(counters.usage('budget', minute)).toMatchObject({ used: 0, reserved: 4 });
    counters.settle(reservation!, [3]);
    expect(counters.usage('budget', minute)).toMatchObject({ used: 3, reserved: 0 });
  });

  it('drops idle counters once their window has passed', () => {
    const clock = fakeClock();
    const counters = new MemoryCounters({ clock: clock.now });
    for (let index = 0; index < 100; index++) counters.consumeRequest(`vk:${index}`, 5, minute);
    clock.advance(120_000);
    counters.consumeRequest('vk:new', 5, minute);
    expect(counters.usage('vk:3', minute).used).toBe(0);
  });

  it('ignores a settle or release of a reservation it no longer holds', () => {
    const counters = new MemoryCounters();
    const { reservation } = counters.reserve([{ key: 'tokens', limit: 100, window: minute, amount: 10 }]);
    counters.settle(reservation!, [7]);
    counters.release(reservation!);
    expect(counters.usage('tokens', minute)).toMatchObject({ used: 7, reserved: 0 });
  });

  it('names the tightest check of an admitted multi-check request', () => {
    const counters = new MemoryCounters();
    const admission = counters.consume([
      { key: 'vk', limit: 100, window: minute, amount: 1 },
      { key: 'team', limit: 3, window: minute, amount: 1 },
    ]);
    expect(admission).toMatchObject({ admitted: true, index: 1, limit: 3, remaining: 2 });
  });
});
