import { describe, expect, it } from 'vitest';
import { authConfigOf, authConfigSchema } from './auth-config.js';
import { countersConfigSchema } from './counters-config.js';
import { pricingFrameworkConfigSchema } from './framework-config.js';
import { configStoreSchema } from './store-config.js';

function messagesOf(result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}) {
  return (result.error?.issues ?? []).map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('configStoreSchema', () => {
  it("accepts upstream's postgres form", () => {
    const store = configStoreSchema.parse({
      enabled: true,
      type: 'postgres',
      config: {
        host: 'db',
        port: '5432',
        user: 'bifrost',
        password: 'secret',
        db_name: 'bifrost',
        ssl_mode: 'disable',
      },
    });
    expect(store).toMatchObject({ enabled: true, type: 'postgres', config: { host: 'db', port: '5432' } });
  });

  it('accepts a connection string and defaults enabled to true', () => {
    expect(configStoreSchema.parse({ type: 'postgres', connection_string: 'postgres://u:p@h/d' })).toEqual({
      enabled: true,
      type: 'postgres',
      connection_string: 'postgres://u:p@h/d',
    });
  });

  it('accepts sqlite with its path, for upstream configs', () => {
    expect(configStoreSchema.parse({ type: 'sqlite', config: { path: './config.db' } }).type).toBe('sqlite');
  });

  it('refuses a postgres store with neither or both connection forms', () => {
    expect(messagesOf(configStoreSchema.safeParse({ type: 'postgres' }))).toEqual([
      'connection_string: a postgres store needs either connection_string or config, not both',
    ]);
    const both = configStoreSchema.safeParse({
      type: 'postgres',
      connection_string: 'postgres://u:p@h/d',
      config: { host: 'h', port: 5432, user: 'u', password: 'p', db_name: 'd', ssl_mode: 'disable' },
    });
    expect(messagesOf(both)).toHaveLength(1);
  });

  it('refuses an unknown back end', () => {
    expect(configStoreSchema.safeParse({ type: 'mysql' }).success).toBe(false);
  });
});

describe('countersConfigSchema', () => {
  it('defaults redis to fail open', () => {
    expect(countersConfigSchema.parse({ type: 'redis', url: 'redis://127.0.0.1:6379' })).toEqual({
      type: 'redis',
      url: 'redis://127.0.0.1:6379',
      fail_mode: 'open',
    });
  });

  it('refuses a redis back end without its url', () => {
    expect(messagesOf(countersConfigSchema.safeParse({ type: 'redis' }))[0]).toMatch(/^url:/);
  });
});

describe('pricingFrameworkConfigSchema', () => {
  it('refuses a sync interval under an hour', () => {
    expect(messagesOf(pricingFrameworkConfigSchema.safeParse({ pricing_sync_interval: 60 }))[0]).toMatch(
      /^pricing_sync_interval:/,
    );
  });
});

describe('authConfigSchema', () => {
  it('needs a username and password when enabled', () => {
    expect(messagesOf(authConfigSchema.safeParse({ is_enabled: true }))).toEqual([
      'admin_username: admin_username is required when is_enabled is true',
      'admin_password: admin_password is required when is_enabled is true',
    ]);
  });

  it('is read from the top level or from governance', () => {
    const auth = authConfigSchema.parse({ is_enabled: true, admin_username: 'a', admin_password: 'b' });
    expect(authConfigOf({ auth_config: auth })).toBe(auth);
    expect(authConfigOf({ governance: { auth_config: auth } })).toBe(auth);
    expect(authConfigOf({})).toBeUndefined();
  });
});
