import { describe, expect, it } from 'vitest';
import {
  type AdminTestGateway,
  adminPassword,
  basicAuth,
  enabledAuth,
  sendJson,
  useAdminTestGateways,
} from '../testing/admin-test-gateway.js';

const startGateway = useAdminTestGateways();

async function getConfig(app: AdminTestGateway['app'], headers: Record<string, string> = {}) {
  const response = await app.request('/api/config', { headers });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown> & { client_config: Record<string, unknown> };
}

describe('GET and PUT /api/config', () => {
  it('answers upstream shape, without auth_config until an admin exists', async () => {
    const gateway = await startGateway();

    const config = await getConfig(gateway.app);

    expect(config).toMatchObject({
      client_config: {
        drop_excess_requests: false,
        initial_pool_size: 300,
        enforce_auth_on_inference: false,
      },
      framework_config: {},
      is_db_connected: false,
      is_cache_connected: false,
      is_logs_connected: false,
      proxy_config: null,
      restart_required: false,
    });
    expect(config).not.toHaveProperty('auth_config');
    expect(await (await gateway.app.request('/api/version')).json()).toMatch(/^\d+\.\d+\.\d+/);
    const probe = await gateway.app.request('/api/config/metadata', { method: 'POST' });
    expect(await probe.json()).toEqual({ success: true });
  });

  it('keeps unknown client_config fields and reads them back, flagging a restart for running settings', async () => {
    const gateway = await startGateway();
    const client_config = {
      drop_excess_requests: true,
      mcp_enable_temp_token_auth: true,
      extra: { nested: [1] },
    };

    const response = await sendJson(gateway.app, 'PUT', '/api/config', {
      client_config,
      framework_config: {},
    });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'success',
      message: 'Configuration updated successfully',
    });
    const config = await getConfig(gateway.app);
    expect(config.client_config).toMatchObject(client_config);
    expect(config.restart_required).toBe(true);
  });

  it('refuses a badly typed known field with 400 naming it', async () => {
    const gateway = await startGateway();

    for (const [field, value] of [
      ['log_retention_days', 0],
      ['drop_excess_requests', 'yes'],
      ['whitelisted_routes', [1]],
    ] as const) {
      const response = await sendJson(gateway.app, 'PUT', '/api/config', {
        client_config: { [field]: value },
      });
      expect(response.status, field).toBe(400);
      expect(((await response.json()) as { error: { message: string } }).error.message).toContain(
        `client_config.${field}`,
      );
    }
  });

  it('refuses to enable auth with a weak password, and changes nothing else in that body', async () => {
    const gateway = await startGateway();

    const response = await sendJson(gateway.app, 'PUT', '/api/config', {
      client_config: { drop_excess_requests: true },
      auth_config: { is_enabled: true, admin_username: 'admin', admin_password: 'password' },
    });

    expect(response.status).toBe(400);
    expect(await response.text()).toContain('auth_config.admin_password: auth password must include');
    expect((await getConfig(gateway.app)).client_config.drop_excess_requests).toBe(false);
  });

  it('enables auth from the API, shows auth_config with the password redacted, and keeps it on a redacted PUT', async () => {
    const gateway = await startGateway();
    const { app } = gateway;

    expect((await sendJson(app, 'PUT', '/api/config', { auth_config: enabledAuth })).status).toBe(200);
    expect((await app.request('/api/config')).status).toBe(401);
    const config = await getConfig(app, basicAuth());
    expect(config.auth_config).toEqual({
      is_enabled: true,
      admin_username: 'admin',
      admin_password: '<redacted>',
      disable_auth_on_inference: false,
    });
    expect(JSON.stringify(config)).not.toContain(adminPassword);

    const resend = await sendJson(
      app,
      'PUT',
      '/api/config',
      { auth_config: config.auth_config },
      basicAuth(),
    );
    expect(resend.status).toBe(200);
    expect((await app.request('/api/config', { headers: basicAuth() })).status).toBe(200);
  });

  it('lets a whitelisted route through without credentials once saved', async () => {
    const gateway = await startGateway({ auth: enabledAuth });
    const { app } = gateway;
    expect((await app.request('/api/keys')).status).toBe(401);

    await sendJson(
      app,
      'PUT',
      '/api/config',
      { client_config: { whitelisted_routes: ['/api/keys*'] } },
      basicAuth(),
    );

    expect((await app.request('/api/keys')).status).toBe(200);
  });
});
