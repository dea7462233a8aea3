import { beforeAll, describe, expect, it } from 'vitest';
import type { Store } from './store.js';
import { useStoreBackends } from './testing/store-test-backends.js';

describe.each(useStoreBackends())('rate limits on $name', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await backend.open();
  });

  it('creates, updates, resets and deletes a rate limit', async () => {
    const limit = await store.rateLimits.create({
      token_max_limit: 1111,
      token_reset_duration: '1h',
      request_max_limit: 222,
      request_reset_duration: '1m',
    });
    expect(limit).toMatchObject({ token_max_limit: 1111, request_max_limit: 222, token_current_usage: 0 });
    await store.applyUsageDeltas({ rateLimits: [{ id: limit.id, tokens: 3_000_000_000, requests: 2 }] });
    // Token counters are bigint columns: large values come back as exact numbers on both back ends.
    expect(await store.rateLimits.get(limit.id)).toMatchObject({
      token_current_usage: 3_000_000_000,
      request_current_usage: 2,
    });
    const at = new Date('2030-01-01T00:00:00Z');
    const reset = await store.rateLimits.resetUsage(limit.id, { requests: true }, at);
    expect(reset).toMatchObject({
      token_current_usage: 3_000_000_000,
      request_current_usage: 0,
      request_last_reset: at,
    });
    expect(await store.rateLimits.update(limit.id, { request_max_limit: 5 })).toMatchObject({
      request_max_limit: 5,
    });
    expect(await store.rateLimits.delete(limit.id)).toBe(true);
    expect((await store.rateLimits.list()).items).toEqual([]);
  });
});
