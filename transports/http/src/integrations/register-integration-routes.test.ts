import type { ChatStreamChunk } from '@bifrost/schemas';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpApp, type HttpAppOptions } from '../create-http-app.js';
import {
  configuredKey,
  createMockOpenAIEngine,
  type MockOpenAIEngine,
} from '../testing/mock-openai-engine.js';
import { openAIEventStream, openAIFixture } from '../testing/openai-fixture.js';
import { parseSseText } from './testing/integration-fixture.js';

let upstream: MockOpenAIEngine | undefined;

afterEach(async () => {
  await upstream?.shutdown();
  upstream = undefined;
});

async function appWith(options: Omit<HttpAppOptions, 'engine'> = {}) {
  upstream = await createMockOpenAIEngine();
  return { app: createHttpApp({ engine: upstream.engine, ...options }), upstream };
}

function post(app: ReturnType<typeof createHttpApp>, path: string, body: unknown, headers = {}) {
  return app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

const hello = [{ role: 'user', content: 'Hello!' }];
const streamChunks = openAIFixture<ChatStreamChunk[]>('chat-stream-chunks');

describe('the OpenAI routes', () => {
  it.each(['/openai/v1/chat/completions', '/openai/chat/completions'])(
    'send a bare model on %s to OpenAI',
    async (path) => {
      const { app, upstream } = await appWith();
      upstream.reply({ path: '/v1/chat/completions', body: openAIFixture('chat-completion') });

      const response = await post(app, path, { model: 'gpt-4o-mini', messages: hello, temperature: 0 });

      expect(response.status).toBe(200);
      expect(upstream.requests[0]!.body).toEqual({ model: 'gpt-4o-mini', messages: hello, temperature: 0 });
      expect(await response.json()).toMatchObject({ object: 'chat.completion' });
    },
  );

  it('take the model of an Azure-style route from the deployment', async () => {
    const { app, upstream } = await appWith();
    upstream.reply({ path: '/v1/chat/completions', body: openAIFixture('chat-completion') });

    const response = await post(
      app,
      '/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-10-21',
      {
        messages: hello,
      },
    );

    expect(response.status).toBe(200);
    expect(upstream.requests[0]!.body).toEqual({ model: 'gpt-4o-mini', messages: hello });
  });

  it('encode float vectors as base64 when the SDK asked for base64', async () => {
    const { app, upstream } = await appWith();
    const floats = {
      object: 'list',
      model: 'm',
      data: [{ object: 'embedding', index: 0, embedding: [0.5, -0.25] }],
    };
    upstream.reply({ path: '/v1/embeddings', body: floats });

    const response = await post(app, '/openai/v1/embeddings', {
      model: 'text-embedding-3-small',
      input: 'hi',
      encoding_format: 'base64',
    });

    const body = (await response.json()) as { data: { embedding: string }[] };
    const bytes = Buffer.from(body.data[0]!.embedding, 'base64');
    expect(Array.from(new Float32Array(Uint8Array.from(bytes).buffer))).toEqual([0.5, -0.25]);
  });

  it("answer a bad request in OpenAI's error shape", async () => {
    const { app } = await appWith();

    const response = await post(app, '/openai/v1/chat/completions', { model: 'gpt-4o-mini', messages: [] });

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        message: 'messages: must contain at least one message',
        type: 'invalid_request_error',
        code: 'invalid_request',
        param: 'messages',
      },
    });
  });

  it("answer an unknown path under /openai with a 404 in OpenAI's shape", async () => {
    const { app } = await appWith();
    const response = await app.request('/openai/v1/files');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { type: 'not_found_error', code: 'not_found' } });
  });
});

describe('the Anthropic routes', () => {
  it('answer an OpenAI model in Anthropic’s shape', async () => {
    const { app, upstream } = await appWith();
    upstream.reply({ path: '/v1/chat/completions', body: openAIFixture('chat-completion') });

    const response = await post(app, '/anthropic/v1/messages', {
      model: 'openai/gpt-4o-mini',
      max_tokens: 50,
      system: 'Be brief.',
      messages: hello,
    });

    expect(upstream.requests[0]!.body).toEqual({
      model: 'gpt-4o-mini',
      messages: [{ role: 'system', content: 'Be brief.' }, ...hello],
      max_tokens: 50,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      type: 'message',
      role: 'assistant',
      stop_reason: 'end_turn',
    });
  });

  it("stream Anthropic's events through a web Response", async () => {
    const { app, upstream } = await appWith();
    upstream.reply({ path: '/v1/chat/completions', body: openAIEventStream(streamChunks) });

    const response = await post(app, '/anthropic/v1/messages', {
      model: 'openai/gpt-4o-mini',
      max_tokens: 50,
      messages: hello,
      stream: true,
    });

    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(upstream.requests[0]!.body).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
    });
    const names = parseSseText(await response.text()).map(([name]) => name);
    expect(names[0]).toBe('message_start');
    expect(names.slice(-2)).toEqual(['message_delta', 'message_stop']);
  });

  it('end a stream cut short with an error event', async () => {
    const { app, upstream } = await appWith();
    upstream.reply({
      path: '/v1/chat/completions',
      body: openAIEventStream(streamChunks.slice(0, 2), { done: false }),
    });

    const response = await post(app, '/anthropic/v1/messages', {
      model: 'openai/gpt-4o-mini',
      max_tokens: 50,
      messages: hello,
      stream: true,
    });

    const events = parseSseText(await response.text());
    expect(events.at(-1)).toEqual([
      'error',
      { type: 'error', error: expect.objectContaining({ type: 'api_error' }) },
    ]);
  });

  it("answer a bad request and a provider that is not configured in Anthropic's shape", async () => {
    const { app } = await appWith();

    const missing = await post(app, '/anthropic/v1/messages', {
      model: 'openai/gpt-4o-mini',
      messages: hello,
    });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'max_tokens: is required' },
    });

    const unconfigured = await post(app, '/anthropic/v1/messages', {
      model: 'claude-3-5-haiku-latest',
      max_tokens: 50,
      messages: hello,
    });
    expect(unconfigured.status).toBe(400);
    expect(await unconfigured.json()).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error' },
    });
  });

  it('estimate count_tokens without calling a provider', async () => {
    const { app, upstream } = await appWith();
    const response = await post(app, '/anthropic/v1/messages/count_tokens', {
      model: 'claude-3-5-haiku-latest',
      messages: [{ role: 'user', content: 'Twelve characters, more or less.' }],
    });
    expect(await response.json()).toEqual({ input_tokens: 3 + 8 });
    expect(upstream.requests).toEqual([]);
  });

  it("answer an unknown path with Anthropic's not_found_error", async () => {
    const { app } = await appWith();
    const response = await post(app, '/anthropic/v1/complete', {});
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
  });
});

describe('the GenAI routes', () => {
  const generate = '/genai/v1beta/models/openai/gpt-4o-mini:generateContent';
  const contents = [{ role: 'user', parts: [{ text: 'Hello!' }] }];

  it('send a prefixed model to its provider with the configured key, ignoring x-goog-api-key', async () => {
    const { app, upstream } = await appWith();
    upstream.reply({ path: '/v1/chat/completions', body: openAIFixture('chat-completion') });

    const response = await post(app, generate, { contents }, { 'x-goog-api-key': 'caller-key' });

    expect(response.status).toBe(200);
    expect(upstream.requests[0]!.headers.authorization).toBe(`Bearer ${configuredKey}`);
    expect(upstream.requests[0]!.body).toEqual({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hello!' }],
    });
    expect(await response.json()).toMatchObject({
      candidates: [{ content: { role: 'model' }, finishReason: 'STOP', index: 0 }],
      modelVersion: 'gpt-4.1-2025-04-14',
    });
  });

  it.each([
    ['x-goog-api-key', { 'x-goog-api-key': 'caller-key' }, ''],
    ['the key query parameter', {}, '?key=caller-key'],
  ])('use the caller’s key from %s when direct keys are allowed', async (_name, headers, query) => {
    const { app, upstream } = await appWith({ allowDirectKeys: true });
    upstream.reply({ path: '/v1/chat/completions', body: openAIFixture('chat-completion') });

    await post(app, `${generate}${query}`, { contents }, headers);

    expect(upstream.requests[0]!.headers.authorization).toBe('Bearer caller-key');
  });

  it('stream one GenerateContentResponse per data event', async () => {
    const { app, upstream } = await appWith();
    upstream.reply({ path: '/v1/chat/completions', body: openAIEventStream(streamChunks) });

    const response = await post(
      app,
      '/genai/v1beta/models/openai/gpt-4o-mini:streamGenerateContent?alt=sse',
      {
        contents,
      },
    );

    const events = parseSseText(await response.text());
    expect(events.every(([name]) => name === '')).toBe(true);
    expect(events.at(-1)![1]).toMatchObject({ candidates: [{ finishReason: 'STOP' }] });
  });

  it("answer an unknown method and path in Google's error shape", async () => {
    const { app } = await appWith();

    const method = await post(app, '/genai/v1beta/models/gemini-2.0-flash:predict', {});
    expect(method.status).toBe(400);
    expect(await method.json()).toEqual({
      error: { code: 400, message: 'method: unknown method "predict"', status: 'INVALID_ARGUMENT' },
    });

    const path = await app.request('/genai/v1beta/cachedContents');
    expect(path.status).toBe(404);
    expect(await path.json()).toMatchObject({ error: { code: 404, status: 'NOT_FOUND' } });
  });
  it("answers a model with a malformed percent-escape with a 400 naming the model, in Google's shape", async () => {
    const { app } = await appWith();

    const response = await post(app, '/genai/v1beta/models/gemini%E0%A4%A:generateContent', {});
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        code: 400,
        message: 'model: the model in the path has a malformed percent-escape',
        status: 'INVALID_ARGUMENT',
      },
    });
  });
});

describe('the LiteLLM routes', () => {
  it('infer OpenAI from a gpt- model', async () => {
    const { app, upstream } = await appWith();
    upstream.reply({ path: '/v1/chat/completions', body: openAIFixture('chat-completion') });

    const response = await post(app, '/litellm/chat/completions', { model: 'gpt-4o-mini', messages: hello });

    expect(response.status).toBe(200);
    expect(upstream.requests[0]!.body).toEqual({ model: 'gpt-4o-mini', messages: hello });
  });

  it('refuse a model whose provider cannot be told, naming model', async () => {
    const { app } = await appWith();
    const response = await post(app, '/litellm/v1/chat/completions', {
      model: 'mystery-7b',
      messages: hello,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { param: 'model', type: 'invalid_request_error' } });
  });
});
