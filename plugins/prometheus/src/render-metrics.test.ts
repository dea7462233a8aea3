import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { renderMetrics, streamText } from './render-metrics.js';

function filledRegistry(): Registry {
  const registry = new Registry();
  const requests = new Counter({
    name: 'requests_total',
    help: 'Requests,\nby "team" \\ more.',
    labelNames: ['team'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'latency_seconds',
    help: 'Latency.',
    labelNames: ['team', 'env'],
    registers: [registry],
  });
  const odd = new Gauge({ name: 'odd_values', help: 'Odd.', labelNames: ['kind'], registers: [registry] });
  for (const team of ['a', 'b "quoted"', 'c\\n\nnewline']) {
    requests.inc({ team }, 2);
    latency.observe({ team, env: 'prod' }, 0.3);
  }
  latency.observe(0.01);
  odd.set({ kind: 'nan' }, Number.NaN);
  odd.set({ kind: 'up' }, Number.POSITIVE_INFINITY);
  odd.set({ kind: 'down' }, Number.NEGATIVE_INFINITY);
  odd.set(1.5);
  return registry;
}

async function collect(chunks: AsyncIterable<string>): Promise<string[]> {
  const collected: string[] = [];
  for await (const chunk of chunks) collected.push(chunk);
  return collected;
}

describe('renderMetrics', () => {
  it('renders the same text as prom-client: escapes, histograms, NaN and infinities', async () => {
    const registry = filledRegistry();

    const chunks = await collect(renderMetrics(registry));

    expect(chunks).toHaveLength(4);
    expect(chunks.join('')).toBe(await registry.metrics());
  });

  it('splits a metric into chunks of at most samplesPerChunk samples', async () => {
    const registry = filledRegistry();

    const chunks = await collect(renderMetrics(registry, 5));

    expect(chunks.join('')).toBe(await registry.metrics());
    // Every chunk but the headers' holds at most five sample lines.
    for (const chunk of chunks) {
      expect(
        chunk.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length,
      ).toBeLessThanOrEqual(5);
    }
    expect(chunks.length).toBeGreaterThan(10);
  });

  it('renders an empty registry as prom-client does', async () => {
    const registry = new Registry();

    expect((await collect(renderMetrics(registry))).join('')).toBe(await registry.metrics());
  });

  it('lets the event loop run between metrics', async () => {
    const order: string[] = [];
    setImmediate(() => order.push('event loop'));

    for await (const chunk of renderMetrics(filledRegistry())) order.push(chunk.trim().slice(7, 20));

    expect(order.indexOf('event loop')).toBe(1);
  });
});

describe('streamText', () => {
  it('encodes the chunks as one UTF-8 body', async () => {
    async function* chunks() {
      yield 'héllo ';
      yield 'world\n';
    }

    expect(await new Response(streamText(chunks())).text()).toBe('héllo world\n');
  });

  it('stops rendering when the reader cancels', async () => {
    let rendered = 0;
    let finished = false;
    async function* chunks() {
      try {
        for (;;) {
          rendered++;
          yield 'chunk\n';
        }
      } finally {
        finished = true;
      }
    }
    const reader = streamText(chunks()).getReader();

    await reader.read();
    await reader.cancel();

    expect(finished).toBe(true);
    expect(rendered).toBeLessThanOrEqual(2);
  });
});
