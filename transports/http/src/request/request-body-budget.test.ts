import { GatewayError } from '@bifrost/core';
import { describe, expect, it } from 'vitest';
import { RequestBodyBudget } from './request-body-budget.js';

describe('RequestBodyBudget', () => {
  it('refuses bytes past the cap with a 429 that carries Retry-After', () => {
    const budget = new RequestBodyBudget(100);
    budget.reserve(60);

    const refusal = (() => {
      try {
        budget.reserve(50);
      } catch (error) {
        return error as GatewayError;
      }
    })();
    expect(refusal).toBeInstanceOf(GatewayError);
    expect(refusal).toMatchObject({ code: 'queue_full', statusCode: 429, retryAfterMs: 1000 });
    expect(budget.inFlightBytes).toBe(60);
  });

  it('lets one body larger than the whole cap in when nothing else is held', () => {
    const budget = new RequestBodyBudget(100);
    budget.reserve(500);
    expect(() => budget.reserve(1)).toThrow(GatewayError);
    budget.release(500);
    expect(budget.inFlightBytes).toBe(0);
  });

  it('reclaims memory once the budget has stayed empty after enough bytes passed through', () => {
    const timers: (() => void)[] = [];
    let reclaimed = 0;
    const budget = new RequestBodyBudget(1000, {
      reclaim: () => reclaimed++,
      reclaimAfterBytes: 100,
      setTimer: (callback) => {
        timers.push(callback);
        return {};
      },
    });
    budget.reserve(50);
    budget.release(50);
    expect(timers).toHaveLength(0);

    budget.reserve(60);
    budget.release(60);
    budget.reserve(10);
    timers.shift()!();
    expect(reclaimed).toBe(0);

    budget.release(10);
    timers.shift()!();
    expect(reclaimed).toBe(1);
  });
});
