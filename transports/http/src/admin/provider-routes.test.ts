import { describe, expect, it } from 'vitest';
import { sendJson, startingKey, useAdminTestGateways } from '../testing/admin-test-gateway.js';

const anthropicKey = 'sk-ant-new-9f8e7d6c5b4a3210';

const startGateway = useAdminTestGateways();

async function json(response: Response | Promise<Response>) {
  const answer = await response;
  const text = await answer.text();
  for (const secret of [startingKey, anthropicKey]) expect(text).not.toContain(secret);
  return { status: answer.status, body: JSON.parse(text) };
}

describe('/api/providers', () => {
  it('lists the running providers in upstream shape, secrets masked', async () => {
    const gateway = await startGateway();

    const { body } = await json(gateway.app.request('/api/providers'));

    expect(body.total).toBe(1);
    expect(body.providers[0]).toMatchObject({
      name: 'openai',
      network_config: { default_request_timeout_in_seconds: 30, max_retries: 0 },
      concurrency_and_buffer_size: { concurrency: 1000, buffer_size: 5000 },
      proxy_config: null,
      send_back_raw_request: false,
      send_back_raw_response: false,
      provider_status: 'active',
    });
    expect(body.providers[0].config_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('creates a provider with keys, applies it to the engine and answers the provider', async () => {
    const gateway = await startGateway();
    const { app } = gateway;

    const created = await json(
      sendJson(app, 'POST', '/api/providers', {
        provider: 'anthropic',
        keys: [{ name: 'main', value: anthropicKey, models: [], weight: 1 }],
        network_config: {
          base_url: 'http://127.0.0.1:9',
          max_retries: 1,
          retry_backoff_initial: 100,
          retry_backoff_max: 1000,
        },
        concurrency_and_buffer_size: { concurrency: 2, buffer_size: 10 },
      }),
    );

    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ name: 'anthropic', network_config: { max_retries: 1 } });
    expect(gateway.config().providers.anthropic?.keys).toMatchObject([{ name: 'main', value: anthropicKey }]);
    expect((await json(sendJson(app, 'POST', '/api/providers', { provider: 'anthropic' }))).status).toBe(409);
  });

  it('refuses what it cannot run with 400 naming the field', async () => {
    const gateway = await startGateway();
    const { app } = gateway;
    const refusals = [
      [
        { provider: 'custom-123', custom_provider_config: { base_provider_type: 'openai' } },
        'custom_provider_config',
      ],
      [{ provider: 'nope' }, 'provider'],
      [{ provider: 'groq', network_config: { max_retries: -1 } }, 'network_config.max_retries'],
      [{ provider: 'groq', network_config: { typo: 1 } }, 'network_config.typo'],
      [
        { provider: 'groq', network_config: { insecure_skip_verify: true } },
        'network_config.insecure_skip_verify',
      ],
      [
        { provider: 'groq', concurrency_and_buffer_size: { concurrency: 20, buffer_size: 10 } },
        'concurrency_and_buffer_size.concurrency',
      ],
    ] as const;

    for (const [body, field] of refusals) {
      const { status, body: answer } = await json(sendJson(app, 'POST', '/api/providers', body));
      expect(status, field).toBe(400);
      expect(answer.error.message, field).toContain(field);
    }
    expect(Object.keys(gateway.config().providers)).toEqual(['openai']);
  });

  it("takes upstream's full provider body, its unset and switched-off options included", async () => {
    const gateway = await startGateway();

    const { status, body } = await json(
      sendJson(gateway.app, 'PUT', '/api/providers/openai', {
        network_config: {
          base_url: '',
          extra_headers: null,
          default_request_timeout_in_seconds: 45,
          max_retries: 0,
          retry_backoff_initial: 500,
          retry_backoff_max: 5000,
          insecure_skip_verify: false,
          ca_cert_pem: '',
        },
        concurrency_and_buffer_size: { concurrency: 100, buffer_size: 500 },
        proxy_config: null,
        send_back_raw_request: false,
        send_back_raw_response: false,
        store_raw_request_response: false,
        custom_provider_config: null,
      }),
    );

    expect(status).toBe(200);
    expect(body.network_config.default_request_timeout_in_seconds).toBe(45);
  });

  it('updates settings (keys kept), and deletes a provider answering the deleted one', async () => {
    const gateway = await startGateway();
    const { app } = gateway;

    const updated = await json(
      sendJson(app, 'PUT', '/api/providers/openai', { send_back_raw_response: true }),
    );
    expect(updated.body.send_back_raw_response).toBe(true);
    expect(gateway.config().providers.openai?.keys[0]?.value).toBe(startingKey);
    expect(
      (await json(sendJson(app, 'PUT', '/api/providers/openai', { keys: [{ value: 'x' }] }))).status,
    ).toBe(400);

    const deleted = await json(app.request('/api/providers/openai', { method: 'DELETE' }));
    expect(deleted.body.name).toBe('openai');
    expect(gateway.config().providers).toEqual({});
    expect((await json(app.request('/api/providers/openai'))).status).toBe(404);
  });
});

describe('provider keys', () => {
  it('creates, reads, updates and deletes a key without ever answering its value', async () => {
    const gateway = await startGateway();
    const { app } = gateway;

    const created = await json(
      sendJson(app, 'POST', '/api/providers/openai/keys', {
        name: 'second',
        value: anthropicKey,
        models: ['gpt-4o'],
        weight: 2,
      }),
    );
    expect(created.body).toMatchObject({
      name: 'second',
      value: { value: 'sk-a************************3210', env_var: '', from_env: false },
      models: ['gpt-4o'],
      blacklisted_models: [],
      weight: 2,
      enabled: true,
    });
    const id = created.body.id as string;
    expect(gateway.config().providers.openai?.keys.map((key) => key.value)).toEqual([
      startingKey,
      anthropicKey,
    ]);

    // Sending the masked value back keeps the secret.
    const updated = await json(
      sendJson(app, 'PUT', `/api/providers/openai/keys/${id}`, { ...created.body, enabled: false }),
    );
    expect(updated.body.enabled).toBe(false);
    expect(gateway.config().providers.openai?.keys.map((key) => key.value)).toEqual([startingKey]);
    const reenabled = await json(sendJson(app, 'PUT', `/api/providers/openai/keys/${id}`, { enabled: true }));
    expect(reenabled.body.enabled).toBe(true);
    expect(gateway.config().providers.openai?.keys[1]?.value).toBe(anthropicKey);

    const list = await json(app.request('/api/providers/openai/keys'));
    expect(list.body.total).toBe(2);
    const all = await json(app.request('/api/keys'));
    expect(all.body).toEqual([
      { key_id: 'openai-primary', name: 'primary', provider: 'openai', models: [], weight: 1, enabled: true },
      { key_id: id, name: 'second', provider: 'openai', models: ['gpt-4o'], weight: 2, enabled: true },
    ]);

    expect((await json(app.request(`/api/providers/openai/keys/${id}`, { method: 'DELETE' }))).status).toBe(
      200,
    );
    expect((await json(app.request(`/api/providers/openai/keys/${id}`))).status).toBe(404);
  });

  it('reads env.VAR values from the environment and shows the reference, refusing an unset one', async () => {
    const gateway = await startGateway({ env: { TEST_OPENAI_KEY: anthropicKey } });
    const { app } = gateway;

    const created = await json(
      sendJson(app, 'POST', '/api/providers/openai/keys', { name: 'env', value: 'env.TEST_OPENAI_KEY' }),
    );
    expect(created.body.value).toEqual({
      value: 'sk-a************************3210',
      env_var: 'env.TEST_OPENAI_KEY',
      from_env: true,
    });
    expect(gateway.config().providers.openai?.keys[1]?.value).toBe(anthropicKey);

    const unset = await json(
      sendJson(app, 'POST', '/api/providers/openai/keys', { name: 'unset', value: 'env.NOT_SET_HERE' }),
    );
    expect(unset.status).toBe(400);
    expect(unset.body.error.message).toBe('value: environment variable NOT_SET_HERE is not set');
  });

  it('refuses a second key with the same name, and a key for an unknown provider', async () => {
    const gateway = await startGateway();
    const { app } = gateway;

    expect(
      (await json(sendJson(app, 'POST', '/api/providers/openai/keys', { name: 'primary', value: 'sk-x' })))
        .status,
    ).toBe(409);
    expect(
      (await json(sendJson(app, 'POST', '/api/providers/groq/keys', { name: 'k', value: 'sk-x' }))).status,
    ).toBe(404);
  });
});
