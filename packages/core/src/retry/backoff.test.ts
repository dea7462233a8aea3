import { afterEach, describe, expect, it, vi } from 'vitest';
import { computeBackoff, parseRetryAfter, sleep } from './backoff.js';

const noJitter = () => 0.5;
const options = { initialMs: 500, maxMs: 5000 };

describe('computeBackoff', () => {
  it('doubles the delay with each retry', () => {
    expect([1, 2, 3, 4].map((attempt) => computeBackoff(attempt, options, noJitter))).toEqual([
      500, 1000, 2000, 4000,
    ]);
  });

  it('caps the delay at the maximum', () => {
    expect(computeBackoff(5, options, noJitter)).toBe(5000);
    expect(computeBackoff(30, options, noJitter)).toBe(5000);
  });

  it('adds at most 20% jitter either way', () => {
    expect(computeBackoff(2, options, () => 0)).toBe(800);
    expect(computeBackoff(2, options, () => 0.9999999)).toBe(1200);
    expect(computeBackoff(2, options, () => 0.75)).toBe(1100);
    expect(computeBackoff(10, options, () => 0)).toBe(4000);
    expect(computeBackoff(10, options, () => 0.9999999)).toBe(6000);
  });

  it('is zero when the initial delay is zero', () => {
    expect(computeBackoff(3, { initialMs: 0, maxMs: 5000 }, () => 0.9)).toBe(0);
  });
});

describe('parseRetryAfter', () => {
  const now = () => Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');

  it('reads delta-seconds', () => {
    expect(parseRetryAfter('20')).toBe(20_000);
    expect(parseRetryAfter(' 0 ')).toBe(0);
    expect(parseRetryAfter('1.5')).toBe(1500);
  });

  it('reads an HTTP date relative to now', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:30 GMT', now)).toBe(30_000);
  });

  it('reads the obsolete HTTP date forms', () => {
    expect(parseRetryAfter('Wednesday, 21-Oct-15 07:28:10 GMT', now)).toBe(10_000);
    // asctime carries no zone, so only its readability is certain.
    expect(parseRetryAfter('Wed Oct 21 07:28:05 2015', now)).toBeTypeOf('number');
  });

  it('gives zero for a date in the past', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:00:00 GMT', now)).toBe(0);
  });

  it('takes the first of repeated headers', () => {
    expect(parseRetryAfter(['3', '9'])).toBe(3000);
  });

  it('gives undefined for an absent or unreadable header', () => {
    for (const garbage of [undefined, '', 'soon', 'soon 3', '-1', '1e3', 'Wed, 99 Foo 2015']) {
      expect({ garbage, parsed: parseRetryAfter(garbage, now) }).toEqual({ garbage, parsed: undefined });
    }
  });
});

describe('sleep', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resolves after the delay', async () => {
    vi.useFakeTimers();
    let woke = false;
    const sleeping = sleep(1000).then(() => {
      woke = true;
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(woke).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await sleeping;
    expect(woke).toBe(true);
  });

  it('rejects early with the reason when the signal aborts', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const sleeping = sleep(60_000, controller.signal);
    controller.abort(new Error('caller left'));
    await expect(sleeping).rejects.toThrow('caller left');
    expect(vi.getTimerCount()).toBe(0);
  });
});
