import type { Plugin } from '@bifrost/schemas';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpApp } from '../create-http-app.js';
import {
  type AdminTestGateway,
  basicAuth,
  createAdminTestGateway,
  enabledAuth,
  sendJson,
} from '../testing/admin-test-gateway.js';
import { createMockOpenAIEngine, type MockOpenAIEngine } from '../testing/mock-openai-engine.js';
import { openAIFixture } from '../testing/openai-fixture.js';

let gateway: AdminTestGateway | undefined;
let upstream: MockOpenAIEngine | undefined;
afterEach(async () => {
  await gateway?.shutdown();
  await upstream?.shutdown();
  gateway = undefined;
  upstream = undefined;
});

async function withAuth(): Promise<AdminTestGateway> {
  gateway = await createAdminTestGateway({ auth: enabledAuth });
  return gateway;
}

async function login(app: AdminTestGateway['app']): Promise<{ token: string; cookie: string }> {
  const response = await sendJson(app, 'POST', '/api/session/login', {
    username: 'admin',
    password: enabledAuth.admin_password,
  });
  expect(response.status).toBe(200);
  const { token } = (await response.json()) as { token: string };
  return { token, cookie: response.headers.get('set-cookie') ?? '' };
}

/** A plugin with governance-like routes: the quota lookup and a management list. */
const governanceLike: Plugin = {
  name: 'governance-like',
  httpRoutes: [
    { method: 'GET', path: '/api/governance/virtual-keys/quota', handle: () => Response.json({ quota: 1 }) },
    {
      method: 'GET',
      path: '/api/governance/virtual-keys',
      handle: () => Response.json({ virtual_keys: [] }),
    },
  ],
};

describe('the admin guard with admin auth on', () => {
  it('refuses a management route without credentials with 401 in the upstream envelope', async () => {
    const { app } = await withAuth();

    const response = await app.request('/api/providers');

    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      is_bifrost_error: true,
      status_code: 401,
      error: { message: 'Unauthorized' },
      extra_fields: {},
    });
  });

  it('lets HTTP Basic with the admin password in, and refuses a wrong one or a wrong user', async () => {
    const { app } = await withAuth();

    expect((await app.request('/api/providers', { headers: basicAuth() })).status).toBe(200);
    expect(
      (await app.request('/api/providers', { headers: basicAuth('admin', 'Wrong-Horse-9-Battery') })).status,
    ).toBe(401);
    expect((await app.request('/api/providers', { headers: basicAuth('root') })).status).toBe(401);
    expect((await app.request('/api/providers', { headers: { authorization: 'Basic !!!' } })).status).toBe(
      401,
    );
  });

  it('lets a session in by its cookie or as a bearer token, and not after logout', async () => {
    const { app } = await withAuth();
    const { token, cookie } = await login(app);

    expect(cookie).toMatch(/^token=[^;]+; Max-Age=2592000; Path=\/; HttpOnly; SameSite=Lax$/);
    expect((await app.request('/api/config', { headers: { cookie: `token=${token}` } })).status).toBe(200);
    expect((await app.request('/api/config', { headers: { authorization: `Bearer ${token}` } })).status).toBe(
      200,
    );
    expect(
      (await app.request('/api/config', { headers: { authorization: `Bearer ${token}x` } })).status,
    ).toBe(401);

    const logout = await app.request('/api/session/logout', {
      method: 'POST',
      headers: { cookie: `token=${token}` },
    });
    expect(logout.headers.get('set-cookie')).toMatch(/^token=; Max-Age=0; Path=\/; HttpOnly; SameSite=Lax/);
    expect((await app.request('/api/config', { headers: { authorization: `Bearer ${token}` } })).status).toBe(
      401,
    );
  });

  it('answers the public routes without credentials', async () => {
    const { app } = await withAuth();

    for (const path of ['/health', '/api/version', '/api/session/is-auth-enabled']) {
      expect((await app.request(path)).status, path).toBe(200);
    }
    expect((await app.request('/.well-known/anything')).status).toBe(404);
  });

  it('guards every spelling of a management path the router would serve', async () => {
    const { app } = await withAuth();

    for (const path of [
      '/api/providers/',
      '/api//providers',
      '/%61pi/providers',
      '/api/%70roviders',
      '/api',
    ]) {
      const response = await app.request(path);
      expect([401, 404], path).toContain(response.status);
      expect(response.status === 404 || (await response.text()).includes('Unauthorized'), path).toBe(true);
    }
  });

  it('answers an unknown /api path with a JSON 404, not HTML', async () => {
    const { app } = await withAuth();

    const response = await app.request('/api/no-such-thing', { headers: basicAuth() });

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toMatchObject({ is_bifrost_error: true, status_code: 404, error: {} });
  });

  it("guards plugins' /api routes but lets the virtual-key quota lookup through", async () => {
    upstream = await createMockOpenAIEngine({ plugins: [governanceLike] });
    const app = createHttpApp({
      engine: upstream.engine,
      admin: { auth: enabledAuth, config: () => ({ providers: {} }) },
    });

    expect((await app.request('/api/governance/virtual-keys/quota')).status).toBe(200);
    expect((await app.request('/api/governance/virtual-keys')).status).toBe(401);
    expect((await app.request('/api/governance/virtual-keys', { headers: basicAuth() })).status).toBe(200);
  });

  it('never asks inference for admin credentials', async () => {
    upstream = await createMockOpenAIEngine();
    upstream.reply({ path: '/v1/chat/completions', body: openAIFixture('chat-completion') });
    const app = createHttpApp({
      engine: upstream.engine,
      admin: { auth: enabledAuth, config: () => ({ providers: {} }) },
    });

    const response = await sendJson(app, 'POST', '/v1/chat/completions', {
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hello!' }],
    });

    expect(response.status).toBe(200);
  });

  it('guards MCP tool execution, and /metrics only when asked', async () => {
    const metricsPlugin: Plugin = {
      name: 'metrics-like',
      httpRoutes: [
        { method: 'GET', path: '/metrics', handle: () => new Response('up 1\n') },
        { method: 'POST', path: '/v1/mcp/tool/execute', handle: () => Response.json({ ok: true }) },
      ],
    };
    upstream = await createMockOpenAIEngine({ plugins: [metricsPlugin] });
    const admin = { auth: enabledAuth, config: () => ({ providers: {} }) };
    const open = createHttpApp({ engine: upstream.engine, admin });
    const closed = createHttpApp({ engine: upstream.engine, admin: { ...admin, protectMetrics: true } });

    expect((await open.request('/v1/mcp/tool/execute', { method: 'POST' })).status).toBe(401);
    expect((await open.request('/metrics')).status).toBe(200);
    expect((await closed.request('/metrics')).status).toBe(401);
    expect((await closed.request('/metrics', { headers: basicAuth() })).status).toBe(200);
  });
});

describe('the admin guard with admin auth off', () => {
  it('lets in-process callers (no socket) manage the gateway', async () => {
    gateway = await createAdminTestGateway();

    expect((await gateway.app.request('/api/providers')).status).toBe(200);
  });

  it('refuses login with 403 "Authentication is not enabled"', async () => {
    gateway = await createAdminTestGateway();

    const response = await sendJson(gateway.app, 'POST', '/api/session/login', {
      username: 'a',
      password: 'b',
    });

    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { message: 'Authentication is not enabled' } });
  });
});
