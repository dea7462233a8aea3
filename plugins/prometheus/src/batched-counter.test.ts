import { Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { BatchedCounter } from './batched-counter.js';

function counter(): { registry: Registry; batched: BatchedCounter } {
  const registry = new Registry();
  const metric = new Counter({
    name: 'things_total',
    help: 'Things.',
    labelNames: ['kind'],
    registers: [registry],
  });
  return { registry, batched: new BatchedCounter(metric) };
}

describe('BatchedCounter', () => {
  it('hands the counts to the counter only when flushed', async () => {
    const { registry, batched } = counter();
    const apples = batched.child({ kind: 'apple' });
    apples.add(2);
    apples.add(3);

    expect(await registry.metrics()).not.toContain('things_total{kind="apple"}');
    batched.flush();
    expect(await registry.metrics()).toContain('things_total{kind="apple"} 5');
    apples.add(1);
    batched.flush();
    expect(await registry.metrics()).toContain('things_total{kind="apple"} 6');
  });

  it('adds no series for a tuple that was never counted', async () => {
    const { registry, batched } = counter();
    batched.child({ kind: 'pear' });

    batched.flush();

    expect(await registry.metrics()).not.toContain('pear');
  });
});
