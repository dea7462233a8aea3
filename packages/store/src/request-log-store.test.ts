import { beforeAll, describe, expect, it } from 'vitest';
import type { NewRequestLog } from './request-log-store.js';
import type { Store } from './store.js';
import { useStoreBackends } from './testing/store-test-backends.js';

const start = Date.parse('2030-01-01T00:00:00Z');

function log(index: number): NewRequestLog {
  return {
    // Two logs share each millisecond, so the id breaks ties in the keyset.
    timestamp: new Date(start + Math.floor(index / 2)),
    route: '/v1/chat/completions',
    provider: 'openai',
    model: 'gpt-4o-mini',
    status: index % 10 === 0 ? 500 : 200,
    latency_ms: index,
    input_tokens: 10,
    output_tokens: 5,
    cost: index % 3 === 0 ? null : 0.0001,
    dimensions: { team: 'a' },
    request_body: index === 0 ? { messages: [{ role: 'user', content: 'hi' }] } : undefined,
  };
}

describe.each(useStoreBackends())('request logs on $name', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await backend.open();
    expect(await store.requestLogs.insertMany(Array.from({ length: 3000 }, (_, index) => log(index)))).toBe(
      3000,
    );
  });

  it('pages newest first by keyset without repeating or skipping a row', async () => {
    const seen: string[] = [];
    let previous = Number.POSITIVE_INFINITY;
    let after: string | undefined;
    do {
      const page = await store.requestLogs.list({ limit: 700, ...(after ? { after } : {}) });
      for (const entry of page.items) {
        expect(entry.timestamp.getTime()).toBeLessThanOrEqual(previous);
        previous = entry.timestamp.getTime();
        seen.push(entry.id);
      }
      after = page.next;
    } while (after !== undefined);
    expect(seen).toHaveLength(3000);
    expect(new Set(seen).size).toBe(3000);
  });

  it('keeps bodies, dimensions and a null cost, and filters by time range', async () => {
    const range = await store.requestLogs.list({ from: new Date(start), to: new Date(start + 1), limit: 10 });
    expect(range.items).toHaveLength(2);
    expect(range.next).toBeUndefined();
    const first = range.items.find((entry) => entry.latency_ms === 0);
    expect(first).toMatchObject({
      status: 500,
      cost: null,
      dimensions: { team: 'a' },
      request_body: { messages: [{ role: 'user', content: 'hi' }] },
      response_body: null,
    });
    expect(await store.requestLogs.get(first!.id)).toEqual(first);
  });

  it('refuses a cursor it did not issue', async () => {
    await expect(store.requestLogs.list({ after: 'not-a-cursor' })).rejects.toMatchObject({
      code: 'invalid_cursor',
    });
  });
});
