import type { ModelInfo, Plugin, PluginContext } from '@bifrost/schemas';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpApp, type HttpAppOptions } from './create-http-app.js';
import {
  configuredKey,
  createMockOpenAIEngine,
  type MockOpenAIEngine,
} from './testing/mock-openai-engine.js';
import { openAIFixture } from './testing/openai-fixture.js';
import { readError } from './testing/read-error.js';

const messages = [{ role: 'user', content: 'Hello!' }];

let upstream: MockOpenAIEngine | undefined;

afterEach(async () => {
  await upstream?.shutdown();
  upstream = undefined;
});

async function appWith(options: Omit<HttpAppOptions, 'engine'> = {}, plugins?: Plugin[]) {
  upstream = await createMockOpenAIEngine({ plugins });
  return { app: createHttpApp({ engine: upstream.engine, ...options }), upstream };
}

function post(app: ReturnType<typeof createHttpApp>, path: string, body: unknown, headers = {}) {
  return app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

describe.each(['/v1/text/completions', '/v1/completions'])('POST %s', (route) => {
  it('sends the prompt to /v1/completions and answers with the completion', async () => {
    const { app, upstream } = await appWith();
    upstream.reply({ path: '/v1/completions', body: openAIFixture('completion') });

    const response = await post(app, route, {
      model: 'openai/gpt-3.5-turbo-instruct',
      prompt: 'Say this is a test',
      max_tokens: 7,
    });

    expect(upstream.requests[0]!.body).toEqual({
      model: 'gpt-3.5-turbo-instruct',
      prompt: 'Say this is a test',
      max_tokens: 7,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-bf-retries')).toBe('0');
    expect(await response.json()).toMatchObject({
      object: 'text_completion',
      choices: [{ text: '\n\nThis is indeed a test', finish_reason: 'length' }],
      extra_fields: { provider: 'openai', model: 'gpt-3.5-turbo-instruct' },
    });
  });
});

describe('POST /v1/embeddings', () => {
  it('sends the input upstream and answers with the vectors', async () => {
    const { app, upstream } = await appWith();
    upstream.reply({ path: '/v1/embeddings', body: openAIFixture('embeddings') });
    const input = 'The food was delicious and the waiter...';

    const response = await post(app, '/v1/embeddings', {
      model: 'openai/text-embedding-ada-002',
      input,
      encoding_format: 'float',
    });

    expect(upstream.requests[0]!.body).toEqual({
      model: 'text-embedding-ada-002',
      input,
      encoding_format: 'float',
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      object: 'list',
      data: [{ object: 'embedding', embedding: [0.0023064255, -0.009327292, -0.0028842222], index: 0 }],
      extra_fields: { provider: 'openai', model: 'text-embedding-ada-002' },
    });
  });

  it('refuses to stream embeddings', async () => {
    const { app, upstream } = await appWith();
    const response = await post(app, '/v1/embeddings', { model: 'openai/x', input: 'hi', stream: true });
    expect(response.status).toBe(400);
    expect((await readError(response)).error.param).toBe('stream');
    expect(upstream.requests).toHaveLength(0);
  });
});

describe('GET /v1/models', () => {
  it('lists the upstream models, each prefixed with its provider', async () => {
    const { app, upstream } = await appWith();
    upstream.reply({ path: '/v1/models', method: 'GET', body: openAIFixture('models') });

    const response = await app.request('/v1/models?provider=openai');

    expect(upstream.requests[0]).toMatchObject({ method: 'GET', path: '/v1/models' });
    expect(upstream.requests[0]!.headers.authorization).toBe(`Bearer ${configuredKey}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { object: string; data: ModelInfo[] };
    expect(body.object).toBe('list');
    expect(body.data.map((model: { id: string }) => model.id)).toEqual([
      'openai/model-id-0',
      'openai/model-id-1',
      'openai/model-id-2',
    ]);
    expect(body.data[0]).toEqual({
      id: 'openai/model-id-0',
      object: 'model',
      created: 1686935002,
      owned_by: 'organization-owner',
    });
  });

  it('answers 400 for an unknown provider', async () => {
    const { app, upstream } = await appWith();
    const response = await app.request('/v1/models?provider=bogus');
    expect(response.status).toBe(400);
    expect((await readError(response)).error).toMatchObject({
      param: 'provider',
      message: 'provider: unknown provider "bogus"',
    });
    expect(upstream.requests).toHaveLength(0);
  });
});

describe('GET /health', () => {
  it('answers 200 {"status":"ok"}', async () => {
    const { app } = await appWith();
    const response = await app.request('/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});

describe('direct keys', () => {
  it("uses the caller's Bearer key upstream when allowDirectKeys is on", async () => {
    const { app, upstream } = await appWith({ allowDirectKeys: true });
    upstream.reply({ path: '/v1/chat/completions', body: openAIFixture('chat-completion') });

    const response = await post(
      app,
      '/v1/chat/completions',
      { model: 'openai/gpt-4o-mini', messages },
      { authorization: 'Bearer sk-caller-own' },
    );

    expect(response.status).toBe(200);
    expect(upstream.requests[0]!.headers.authorization).toBe('Bearer sk-caller-own');
  });

  it("uses the caller's x-api-key upstream when allowDirectKeys is on", async () => {
    const { app, upstream } = await appWith({ allowDirectKeys: true });
    upstream.reply({ path: '/v1/chat/completions', body: openAIFixture('chat-completion') });

    await post(
      app,
      '/v1/chat/completions',
      { model: 'openai/gpt-4o-mini', messages },
      { 'x-api-key': 'sk-x' },
    );

    expect(upstream.requests[0]!.headers.authorization).toBe('Bearer sk-x');
  });

  it('uses the configured key when allowDirectKeys is off', async () => {
    const { app, upstream } = await appWith();
    upstream.reply({ path: '/v1/chat/completions', body: openAIFixture('chat-completion') });

    await post(
      app,
      '/v1/chat/completions',
      { model: 'openai/gpt-4o-mini', messages },
      { authorization: 'Bearer sk-caller-own' },
    );

    expect(upstream.requests[0]!.headers.authorization).toBe(`Bearer ${configuredKey}`);
  });
});

describe('headers for plugins', () => {
  function recordingPlugin(seen: Array<PluginContext['headers']>): Plugin {
    return {
      name: 'recorder',
      preHook(context) {
        seen.push(context.headers);
      },
    };
  }
  const incoming = {
    authorization: 'Bearer sk-caller-own',
    'x-api-key': 'sk-other',
    'x-bf-prom-team': 'search',
    'user-agent': 'test-client/1.0',
  };

  it('hands plugins the incoming headers minus authorization and x-api-key', async () => {
    const seen: Array<PluginContext['headers']> = [];
    const { app, upstream } = await appWith({ forwardHeaders: true }, [recordingPlugin(seen)]);
    upstream.reply({ path: '/v1/chat/completions', body: openAIFixture('chat-completion') });

    const response = await post(
      app,
      '/v1/chat/completions',
      { model: 'openai/gpt-4o-mini', messages },
      incoming,
    );

    expect(response.status).toBe(200);
    expect(seen).toEqual([
      { 'content-type': 'application/json', 'x-bf-prom-team': 'search', 'user-agent': 'test-client/1.0' },
    ]);
  });

  it('hands plugins no headers when forwardHeaders is off', async () => {
    const seen: Array<PluginContext['headers']> = [];
    const { app, upstream } = await appWith({}, [recordingPlugin(seen)]);
    upstream.reply({ path: '/v1/chat/completions', body: openAIFixture('chat-completion') });

    await post(app, '/v1/chat/completions', { model: 'openai/gpt-4o-mini', messages }, incoming);

    expect(seen).toEqual([{}]);
  });
});
