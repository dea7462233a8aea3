import { Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { BatchedCounter } from './batched-counter.js';
import { SeriesOverflow } from './series-overflow.js';

describe('SeriesOverflow', () => {
  it('tallies one observation per add or observe, whatever the amount, per metric', async () => {
    const registry = new Registry();
    const counter = new Counter({
      name: 'overflow_total',
      help: 'h',
      labelNames: ['metric'],
      registers: [registry],
    });
    const batched = new BatchedCounter(counter);
    const overflow = new SeriesOverflow(batched);
    const added: (number | undefined)[] = [];
    const observed: number[] = [];

    const tokens = overflow.count('tokens_total', { add: (amount) => added.push(amount) });
    const latency = overflow.observer('latency_seconds', { observe: (value) => observed.push(value) });
    tokens.add(40);
    tokens.add();
    overflow.count('tokens_total', { add: () => {} }).add(7);
    latency.observe(0.5);
    batched.flush();

    expect(added).toEqual([40, undefined]);
    expect(observed).toEqual([0.5]);
    const text = await registry.metrics();
    expect(text).toContain('overflow_total{metric="tokens_total"} 3');
    expect(text).toContain('overflow_total{metric="latency_seconds"} 1');
  });
});
