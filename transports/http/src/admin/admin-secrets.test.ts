import { openStoreOverPGlite } from '@bifrost/store';
import { PGlite } from '@electric-sql/pglite';
import { describe, expect, it } from 'vitest';
import {
  adminPassword,
  basicAuth,
  enabledAuth,
  sendJson,
  startingKey,
  useAdminTestGateways,
} from '../testing/admin-test-gateway.js';

const newKey = 'sk-secret-test-77aa88bb99cc00dd';
const proxyPassword = 'proxy-pass-4411-secret';

const startGateway = useAdminTestGateways();

describe('secrets in management answers and logs', () => {
  it('never writes the admin password, a key, a proxy password or a session token to an answer or a log line', async () => {
    const store = await openStoreOverPGlite(new PGlite());
    const gateway = await startGateway({ auth: enabledAuth, store });
    const { app, logs } = gateway;
    const answers: string[] = [];
    const call = async (method: string, path: string, body?: unknown, headers = basicAuth()) => {
      const response = await sendJson(app, method, path, body, headers);
      const text = await response.text();
      answers.push(`${response.status} ${[...response.headers].join(' ')} ${text}`);
      return { status: response.status, text };
    };

    const login = await sendJson(app, 'POST', '/api/session/login', {
      username: 'admin',
      password: adminPassword,
    });
    const { token } = (await login.json()) as { token: string };
    await call('POST', '/api/session/login', { username: 'admin', password: `${adminPassword}x` }, {});
    await call('GET', '/api/providers', undefined, basicAuth('admin', `${adminPassword}x`));
    await call('PUT', '/api/config', { auth_config: { ...enabledAuth, admin_password: 'weak' } });
    await call('GET', '/api/config');
    await call('POST', '/api/providers/openai/keys', { name: 'new', value: newKey });
    await call('PUT', '/api/providers/openai', {
      proxy_config: {
        type: 'http',
        url: `http://u:${proxyPassword}@127.0.0.1:3128`,
        username: 'u',
        password: proxyPassword,
      },
    });
    await call('PUT', '/api/providers/openai', { network_config: { base_url: 'not a url' } });
    const shown = await call('GET', '/api/providers/openai');
    // What was shown, sent back, keeps the secrets.
    await call('PUT', '/api/providers/openai', { proxy_config: JSON.parse(shown.text).proxy_config });
    expect(gateway.config().providers.openai?.proxy_config).toMatchObject({
      url: `http://u:${proxyPassword}@127.0.0.1:3128`,
      password: proxyPassword,
    });
    await call('GET', '/api/providers/openai/keys');
    await call('GET', '/api/keys');
    // A store outage mid-change: the change is undone and the failure logged.
    await store.close();
    const failed = await call('POST', '/api/providers/openai/keys', { name: 'lost', value: `${newKey}2` });
    expect(failed.status).toBe(503);
    expect(logs.some((line) => line.includes('management request failed'))).toBe(true);
    expect(gateway.config().providers.openai?.keys.map((key) => key.name)).toEqual(['primary', 'new']);

    for (const secret of [adminPassword, startingKey, newKey, proxyPassword, token]) {
      for (const line of [...answers, ...logs]) expect(line).not.toContain(secret);
    }
  });
});
