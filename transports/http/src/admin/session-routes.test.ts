import { parseConfig } from '@bifrost/core';
import type { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpApp } from '../create-http-app.js';
import type { HttpEnv } from '../http-env.js';
import { adminPassword, enabledAuth, sendJson, useAdminTestGateways } from '../testing/admin-test-gateway.js';
import { createMockOpenAIEngine, type MockOpenAIEngine } from '../testing/mock-openai-engine.js';
import type { AdminAuthConfig } from './admin-options.js';

const startGateway = useAdminTestGateways();
let upstream: MockOpenAIEngine | undefined;
afterEach(async () => {
  await upstream?.shutdown();
  upstream = undefined;
});

async function isAuthEnabled(app: Hono<HttpEnv>, headers: Record<string, string> = {}) {
  return (await app.request('/api/session/is-auth-enabled', { headers })).json();
}

describe('/api/session', () => {
  it('reports auth off as upstream does', async () => {
    const gateway = await startGateway();

    expect(await isAuthEnabled(gateway.app)).toEqual({
      is_auth_enabled: false,
      has_valid_token: false,
      auth_type: 'none',
      inference_auth_enforced: false,
    });
  });

  it('logs in with a cookie and a token, reports the session valid, and refuses a wrong password', async () => {
    const gateway = await startGateway({ auth: enabledAuth });
    const { app } = gateway;

    const wrong = await sendJson(app, 'POST', '/api/session/login', {
      username: 'admin',
      password: 'Nope-Nope-1234',
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: { message: 'Invalid username or password' } });
    const missing = await sendJson(app, 'POST', '/api/session/login', { username: 'admin' });
    expect(missing.status).toBe(400);

    const login = await sendJson(app, 'POST', '/api/session/login', {
      username: 'admin',
      password: adminPassword,
    });
    const body = (await login.json()) as { message: string; token: string };
    expect(body.message).toBe('Login successful');
    expect(await isAuthEnabled(app, { cookie: `token=${body.token}` })).toEqual({
      is_auth_enabled: true,
      has_valid_token: true,
      auth_type: 'password',
      inference_auth_enforced: false,
    });
    expect(await isAuthEnabled(app)).toMatchObject({ has_valid_token: false });
  });

  it('reports inference auth as the running config enforces it, not as a PUT saved it for the next start', async () => {
    const gateway = await startGateway();
    await sendJson(gateway.app, 'PUT', '/api/config', { client_config: { enforce_auth_on_inference: true } });
    expect(await isAuthEnabled(gateway.app)).toMatchObject({ inference_auth_enforced: false });

    upstream = await createMockOpenAIEngine();
    const enforced = (auth?: AdminAuthConfig) =>
      createHttpApp({
        engine: upstream!.engine,
        admin: {
          config: () =>
            parseConfig({ providers: {}, client: { enforce_auth_on_inference: true }, auth_config: auth }),
        },
      });
    expect(await isAuthEnabled(enforced())).toMatchObject({ inference_auth_enforced: true });
    expect(
      await isAuthEnabled(enforced({ is_enabled: false, disable_auth_on_inference: true })),
    ).toMatchObject({
      inference_auth_enforced: false,
    });
  });
});
