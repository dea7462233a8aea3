import { beforeAll, describe, expect, it } from 'vitest';
import type { Store } from './store.js';
import { useStoreBackends } from './testing/store-test-backends.js';

describe.each(useStoreBackends())('settings on $name', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await backend.open();
  });

  it('writes, replaces and deletes a value by key', async () => {
    expect(await store.settings.get('client_config')).toBeUndefined();
    await store.settings.set('client_config', { drop_excess_requests: true, custom: { nested: [1] } });
    await store.settings.set('client_config', { drop_excess_requests: false });
    expect(await store.settings.get('client_config')).toEqual({ drop_excess_requests: false });
    expect(await store.settings.delete('client_config')).toBe(true);
    expect(await store.settings.get('client_config')).toBeUndefined();
  });

  it('keeps the first value of racing getOrCreate calls, so every caller agrees on it', async () => {
    const values = await Promise.all(
      ['first', 'second', 'third'].map((secret) => store.settings.getOrCreate('session_secret', { secret })),
    );
    expect(new Set(values.map((value) => value.secret)).size).toBe(1);
    expect(await store.settings.getOrCreate('session_secret', { secret: 'later' })).toEqual(values[0]);
  });
});
