import { describe, expect, it } from 'vitest';
import { AccessTokenCache } from './access-token-cache.js';

function countingFetcher(lifetimeMs: number, clock: { now: number }) {
  let fetches = 0;
  return {
    fetches: () => fetches,
    fetch: async () => {
      fetches++;
      return { token: `token-${fetches}`, expiresAt: clock.now + lifetimeMs };
    },
  };
}

describe('AccessTokenCache', () => {
  it('reuses a token until the refresh margin before its expiry', async () => {
    const clock = { now: 0 };
    const fetcher = countingFetcher(3_600_000, clock);
    const cache = new AccessTokenCache(fetcher.fetch, { now: () => clock.now });
    expect(await cache.get()).toBe('token-1');
    clock.now = 3_600_000 - 60_001;
    expect(await cache.get()).toBe('token-1');
    clock.now = 3_600_000 - 60_000;
    expect(await cache.get()).toBe('token-2');
    expect(fetcher.fetches()).toBe(2);
  });

  it('shares one fetch among concurrent callers', async () => {
    const clock = { now: 0 };
    const fetcher = countingFetcher(3_600_000, clock);
    const cache = new AccessTokenCache(fetcher.fetch, { now: () => clock.now });
    const tokens = await Promise.all([cache.get(), cache.get(), cache.get()]);
    expect(tokens).toEqual(['token-1', 'token-1', 'token-1']);
    expect(fetcher.fetches()).toBe(1);
  });

  it('does not cache a failed fetch', async () => {
    let attempts = 0;
    const cache = new AccessTokenCache(async () => {
      attempts++;
      if (attempts === 1) throw new Error('token endpoint down');
      return { token: 'recovered', expiresAt: Date.now() + 3_600_000 };
    });
    await expect(cache.get()).rejects.toThrow('token endpoint down');
    expect(await cache.get()).toBe('recovered');
  });
});
