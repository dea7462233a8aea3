import type { BifrostRequest, ModelRouteInput, Plugin, RoutedModel } from '@bifrost/schemas';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpApp } from '../create-http-app.js';
import { createMockOpenAIEngine, type MockOpenAIEngine } from '../testing/mock-openai-engine.js';
import { openAIFixture } from '../testing/openai-fixture.js';
import { bareModelRouter } from './route-bare-model.js';

const messages = [{ role: 'user', content: 'Hello!' }];
const virtualKey = { 'x-bf-vk': 'sk-bf-team' };

let upstream: MockOpenAIEngine | undefined;

afterEach(async () => {
  await upstream?.shutdown();
  upstream = undefined;
});

/** A plugin that sends `alias` to OpenAI's gpt-4o-mini with gpt-4o as its fallback, and keeps what it saw. */
function aliasRouter() {
  const routed: Array<{ model: string; input: ModelRouteInput }> = [];
  const requests: BifrostRequest[] = [];
  const plugin: Plugin = {
    name: 'alias-router',
    routeModel(model, input): RoutedModel[] | undefined {
      routed.push({ model, input });
      if (model !== 'alias') return undefined;
      return [
        { provider: 'openai', model: 'gpt-4o-mini' },
        { provider: 'openai', model: 'gpt-4o' },
      ];
    },
    preHook(_context, request) {
      requests.push(request);
    },
  };
  return { plugin, routed, requests };
}

async function appWith(plugin: Plugin) {
  upstream = await createMockOpenAIEngine({ plugins: [plugin] });
  return createHttpApp({ engine: upstream.engine });
}

function post(
  app: ReturnType<typeof createHttpApp>,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body);
  return app.request(path, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(text)),
      ...headers,
    },
    body: text,
  });
}

describe('bare-model routing', () => {
  it('sends a bare model on /v1 where the plugin routes it, the rest as fallbacks', async () => {
    const router = aliasRouter();
    const app = await appWith(router.plugin);
    upstream!.reply({ path: '/v1/chat/completions', body: openAIFixture('chat-completion') });

    const response = await post(app, '/v1/chat/completions', { model: 'alias', messages }, virtualKey);

    expect(response.status).toBe(200);
    expect(router.routed).toEqual([
      { model: 'alias', input: { virtualKey: 'sk-bf-team', requestType: 'chat_completion' } },
    ]);
    expect(upstream!.requests[0]?.body).toMatchObject({ model: 'gpt-4o-mini' });
    expect(router.requests[0]?.fallbacks).toEqual([{ provider: 'openai', model: 'gpt-4o' }]);
  });

  it("keeps the body's own fallbacks", async () => {
    const router = aliasRouter();
    const app = await appWith(router.plugin);
    upstream!.reply({ path: '/v1/chat/completions', body: openAIFixture('chat-completion') });

    await post(app, '/v1/chat/completions', { model: 'alias', messages, fallbacks: ['openai/o1'] });

    expect(router.requests[0]?.fallbacks).toEqual([{ provider: 'openai', model: 'o1' }]);
  });

  it('leaves a model that names its provider alone', async () => {
    const router = aliasRouter();
    const app = await appWith(router.plugin);
    upstream!.reply({ path: '/v1/chat/completions', body: openAIFixture('chat-completion') });

    await post(app, '/v1/chat/completions', { model: 'openai/gpt-4o', messages }, virtualKey);
    await post(app, '/v1/chat/completions', { provider: 'openai', model: 'gpt-4o', messages }, virtualKey);

    expect(router.routed).toEqual([]);
  });

  it('refuses a bare model the plugin does not route, as before', async () => {
    const router = aliasRouter();
    const app = await appWith(router.plugin);

    const response = await post(app, '/v1/chat/completions', { model: 'gpt-4o', messages });

    expect(response.status).toBe(400);
    expect(router.routed.map((entry) => entry.model)).toEqual(['gpt-4o']);
  });

  it('routes embeddings with their request type', async () => {
    const router = aliasRouter();
    const app = await appWith(router.plugin);
    upstream!.reply({ path: '/v1/embeddings', body: openAIFixture('embeddings') });

    await post(app, '/v1/embeddings', { model: 'alias', input: 'hi' });

    expect(router.routed[0]?.input.requestType).toBe('embedding');
    expect(upstream!.requests[0]?.body).toMatchObject({ model: 'gpt-4o-mini' });
  });

  it("routes on OpenAI's SDK route only for a caller with a virtual key", async () => {
    const router = aliasRouter();
    const app = await appWith(router.plugin);
    upstream!.reply({ path: '/v1/chat/completions', body: openAIFixture('chat-completion') });
    upstream!.reply({ path: '/v1/chat/completions', body: openAIFixture('chat-completion') });

    await post(app, '/openai/v1/chat/completions', { model: 'alias', messages });
    await post(app, '/openai/v1/chat/completions', { model: 'alias', messages }, virtualKey);

    expect(router.routed).toHaveLength(1);
    expect(upstream!.requests.map((request) => (request.body as { model: string }).model)).toEqual([
      'alias',
      'gpt-4o-mini',
    ]);
  });

  it("routes on Anthropic's SDK route for a caller with a virtual key, answering in Anthropic's shape", async () => {
    const router = aliasRouter();
    const app = await appWith(router.plugin);
    upstream!.reply({ path: '/v1/chat/completions', body: openAIFixture('chat-completion') });

    const response = await post(
      app,
      '/anthropic/v1/messages',
      { model: 'alias', max_tokens: 16, messages },
      { 'x-api-key': 'sk-bf-team' },
    );

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ type: 'message' });
    expect(router.routed[0]?.input.virtualKey).toBe('sk-bf-team');
    expect(router.requests[0]).toMatchObject({ provider: 'openai', model: 'gpt-4o-mini' });
  });

  it('routes LiteLLM bare models before inferring their family', async () => {
    const router = aliasRouter();
    const app = await appWith(router.plugin);
    upstream!.reply({ path: '/v1/chat/completions', body: openAIFixture('chat-completion') });

    const response = await post(app, '/litellm/chat/completions', { model: 'alias', messages });

    expect(response.status).toBe(200);
    expect(upstream!.requests[0]?.body).toMatchObject({ model: 'gpt-4o-mini' });
  });
});

describe('bareModelRouter', () => {
  it('is absent when no plugin routes models, so requests do no extra work', async () => {
    upstream = await createMockOpenAIEngine({ plugins: [{ name: 'quiet' }] });
    expect(bareModelRouter(upstream.engine, 'bare')).toBeUndefined();
  });

  it('is absent for a route that does not route models', async () => {
    upstream = await createMockOpenAIEngine({ plugins: [aliasRouter().plugin] });
    expect(bareModelRouter(upstream.engine, undefined)).toBeUndefined();
  });
});
