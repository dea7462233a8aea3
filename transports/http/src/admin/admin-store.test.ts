import { openStoreOverPGlite, type Store } from '@bifrost/store';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type AdminTestGateway,
  type AdminTestGatewayOptions,
  adminPassword,
  basicAuth,
  enabledAuth,
  sendJson,
  useAdminTestGateways,
} from '../testing/admin-test-gateway.js';

const secondPassword = 'Second-Horse-7-Battery';
const storedKey = 'sk-stored-0a1b2c3d4e5f6a7b8c9d';

let store: Store;
const startGateway = useAdminTestGateways();
beforeAll(async () => {
  store = await openStoreOverPGlite(new PGlite());
});
afterAll(() => store?.close());
afterEach(async () => {
  for (const key of ['admin_account', 'client_config']) await store.settings.delete(key);
  await store.providers.delete('openai');
});

async function start(options: AdminTestGatewayOptions = {}) {
  return (await startGateway({ store, ...options })).app;
}

async function login(app: AdminTestGateway['app'], password = adminPassword): Promise<Response> {
  return sendJson(app, 'POST', '/api/session/login', { username: 'admin', password });
}

describe('the management API over a store', () => {
  it("keeps auth enabled through the API for every instance, which accept each other's sessions", async () => {
    const first = await start();
    expect((await sendJson(first, 'PUT', '/api/config', { auth_config: enabledAuth })).status).toBe(200);
    const second = await start();

    expect((await second.request('/api/config')).status).toBe(401);
    const { token } = (await (await login(first)).json()) as { token: string };
    expect(
      (await second.request('/api/config', { headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(200);
    const stored = JSON.stringify(await store.settings.get('admin_account'));
    expect(stored).not.toContain(adminPassword);
  });

  it('ends every session when the password changes, on other instances within seconds', async () => {
    let now = Date.now();
    const first = await start({ auth: enabledAuth });
    const second = await start({ auth: enabledAuth, now: () => now });
    const { token } = (await (await login(first)).json()) as { token: string };
    const bearer = { authorization: `Bearer ${token}` };
    expect((await second.request('/api/keys', { headers: bearer })).status).toBe(200);

    const change = { auth_config: { ...enabledAuth, admin_password: secondPassword } };
    expect((await sendJson(first, 'PUT', '/api/config', change, basicAuth())).status).toBe(200);

    expect((await first.request('/api/keys', { headers: bearer })).status).toBe(401);
    now += 6000;
    expect((await second.request('/api/keys', { headers: bearer })).status).toBe(401);
    expect((await login(second, secondPassword)).status).toBe(200);
  });

  it('keeps a password changed through the API until the config file itself changes', async () => {
    const first = await start({ auth: enabledAuth });
    const change = { auth_config: { ...enabledAuth, admin_password: secondPassword } };
    expect((await sendJson(first, 'PUT', '/api/config', change, basicAuth())).status).toBe(200);

    const sameFile = await start({ auth: enabledAuth });
    expect((await login(sameFile, secondPassword)).status).toBe(200);
    expect((await login(sameFile, adminPassword)).status).toBe(401);

    const editedFile = await start({ auth: { ...enabledAuth, admin_password: 'Third-Horse-5-Battery' } });
    expect((await login(editedFile, 'Third-Horse-5-Battery')).status).toBe(200);

    // A file without auth_config leaves the stored account alone; `is_enabled: false` in the file turns it off.
    expect((await (await start()).request('/api/keys')).status).toBe(401);
    expect((await (await start({ auth: { is_enabled: false } })).request('/api/keys')).status).toBe(200);
  });

  it('brings back keys added through the API, disabled ones included, on the next start', async () => {
    const first = await start();
    const created = await sendJson(first, 'POST', '/api/providers/openai/keys', {
      name: 'kept',
      value: storedKey,
      enabled: false,
      blacklisted_models: ['gpt-3.5-turbo'],
    });
    expect(created.status).toBe(200);

    const gateway = await startGateway({ store });
    const keys = (await (await gateway.app.request('/api/providers/openai/keys')).json()) as {
      keys: { name: string; enabled: boolean; blacklisted_models: string[] }[];
    };

    expect(keys.keys).toMatchObject([
      { name: 'primary', enabled: true },
      { name: 'kept', enabled: false, blacklisted_models: ['gpt-3.5-turbo'] },
    ]);
    expect(gateway.config().providers.openai?.keys.map((key) => key.name)).toEqual(['primary']);
  });

  it('fails closed with 503 on management routes when the store cannot be read at start, and logs why', async () => {
    const closed = await openStoreOverPGlite(new PGlite());
    await closed.close();
    const gateway = await startGateway({ auth: enabledAuth, store: closed });

    const response = await gateway.app.request('/api/providers', { headers: basicAuth() });

    expect(response.status).toBe(503);
    expect(gateway.logs.some((line) => line.includes('management API unavailable'))).toBe(true);
    expect((await gateway.app.request('/health')).status).toBe(200);
  });
});
