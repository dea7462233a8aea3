import type { ChatResponse } from '@bifrost/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpApp } from './create-http-app.js';
import {
  configuredKey,
  createMockOpenAIEngine,
  type MockOpenAIEngine,
} from './testing/mock-openai-engine.js';
import { openAIFixture } from './testing/openai-fixture.js';
import { readError } from './testing/read-error.js';

const messages = [{ role: 'user', content: 'Hello!' }];

let upstream: MockOpenAIEngine;

beforeEach(async () => {
  upstream = await createMockOpenAIEngine({ network: { retry_backoff_initial: 0, retry_backoff_max: 0 } });
});

afterEach(async () => {
  await upstream.shutdown();
});

function postJson(app: ReturnType<typeof createHttpApp>, path: string, body: unknown): Promise<Response> {
  return Promise.resolve(
    app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
}

describe('POST /v1/chat/completions', () => {
  it('sends the OpenAI request upstream and answers 200 with extra_fields', async () => {
    upstream.reply({ path: '/v1/chat/completions', body: openAIFixture('chat-completion') });
    const app = createHttpApp({ engine: upstream.engine });

    const response = await postJson(app, '/v1/chat/completions', {
      model: 'openai/gpt-4o-mini',
      messages,
      temperature: 0.2,
      params: { max_tokens: 64 },
    });

    expect(upstream.requests).toHaveLength(1);
    const [sent] = upstream.requests;
    expect(sent!.path).toBe('/v1/chat/completions');
    expect(sent!.headers.authorization).toBe(`Bearer ${configuredKey}`);
    expect(sent!.headers['content-type']).toBe('application/json');
    expect(sent!.body).toEqual({ model: 'gpt-4o-mini', messages, temperature: 0.2, max_tokens: 64 });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('x-bf-retries')).toBe('0');
    const body = await response.json();
    expect(body).toMatchObject({
      ...openAIFixture('chat-completion'),
      extra_fields: { provider: 'openai', model: 'gpt-4o-mini', latency: expect.any(Number) },
    });
  });

  it('accepts the v1.0 shape with provider, params and fallback objects', async () => {
    upstream.reply({ path: '/v1/chat/completions', body: openAIFixture('chat-completion') });
    const app = createHttpApp({ engine: upstream.engine });

    const response = await postJson(app, '/v1/chat/completions', {
      provider: 'openai',
      model: 'gpt-4o-mini',
      messages,
      params: { temperature: 1 },
      fallbacks: [{ provider: 'openai', model: 'gpt-4o' }],
    });

    expect(response.status).toBe(200);
    expect(upstream.requests[0]!.body).toEqual({ model: 'gpt-4o-mini', messages, temperature: 1 });
  });

  it('counts retries in x-bf-retries and extra_fields', async () => {
    await upstream.shutdown();
    upstream = await createMockOpenAIEngine({
      network: { max_retries: 1, retry_backoff_initial: 0, retry_backoff_max: 0 },
    });
    upstream.reply({
      path: '/v1/chat/completions',
      status: 503,
      body: openAIFixture('error-429-rate-limit'),
    });
    upstream.reply({ path: '/v1/chat/completions', body: openAIFixture('chat-completion') });
    const app = createHttpApp({ engine: upstream.engine });

    const response = await postJson(app, '/v1/chat/completions', { model: 'openai/gpt-4o-mini', messages });

    expect(response.status).toBe(200);
    expect(response.headers.get('x-bf-retries')).toBe('1');
    expect(((await response.json()) as ChatResponse).extra_fields.retries).toBe(1);
    expect(upstream.requests).toHaveLength(2);
  });

  it("passes an upstream 429 through with the provider's message", async () => {
    const rateLimit = openAIFixture<{ error: { message: string } }>('error-429-rate-limit');
    upstream.reply({
      path: '/v1/chat/completions',
      status: 429,
      body: rateLimit,
      headers: { 'retry-after': '20' },
    });
    const app = createHttpApp({ engine: upstream.engine });

    const response = await postJson(app, '/v1/chat/completions', { model: 'openai/gpt-4o-mini', messages });

    expect(response.status).toBe(429);
    expect(response.headers.get('x-bf-retries')).toBe('0');
    const body = await readError(response);
    expect(body).toMatchObject({
      is_bifrost_error: false,
      status_code: 429,
      error: { message: rateLimit.error.message, type: 'requests', code: 'rate_limit_exceeded' },
      extra_fields: { provider: 'openai', model: 'gpt-4o-mini', error_code: 'rate_limited' },
    });
  });

  it('never puts the configured key in an answer', async () => {
    const invalidKey = openAIFixture<{ error: { message: string } }>('error-401-invalid-api-key');
    upstream.reply({ path: '/v1/chat/completions', status: 401, body: invalidKey });
    const app = createHttpApp({ engine: upstream.engine });

    const response = await postJson(app, '/v1/chat/completions', { model: 'openai/gpt-4o-mini', messages });

    expect(upstream.requests[0]!.headers.authorization).toBe(`Bearer ${configuredKey}`);
    expect(response.status).toBe(401);
    const text = await response.text();
    expect(JSON.parse(text).error.message).toBe(invalidKey.error.message);
    expect(text).not.toContain(configuredKey);
    expect(text).not.toContain('Bearer');
  });
});

describe('request validation', () => {
  it('answers 400 for a body that is not JSON', async () => {
    const app = createHttpApp({ engine: upstream.engine });
    const response = await postJson(app, '/v1/chat/completions', '{"model":');
    expect(response.status).toBe(400);
    const body = await readError(response);
    expect(body.error.message).toMatch(/^request body is not valid JSON/);
    expect(body.is_bifrost_error).toBe(true);
  });

  it('answers 400 for an empty body', async () => {
    const app = createHttpApp({ engine: upstream.engine });
    const response = await app.request('/v1/chat/completions', { method: 'POST' });
    expect(response.status).toBe(400);
    expect((await readError(response)).error.message).toBe('request body is empty; expected a JSON object');
  });

  it('names the missing field in error.param', async () => {
    const app = createHttpApp({ engine: upstream.engine });
    const response = await postJson(app, '/v1/chat/completions', { model: 'openai/gpt-4o-mini' });
    expect(response.status).toBe(400);
    const body = await readError(response);
    expect(body.error.param).toBe('messages');
    expect(body.extra_fields?.error_code).toBe('invalid_request');
    expect(upstream.requests).toHaveLength(0);
  });

  it('answers 404 JSON for an unknown route', async () => {
    const app = createHttpApp({ engine: upstream.engine });
    const response = await app.request('/v1/nope', { method: 'POST' });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect((await readError(response)).error.message).toBe('no route for POST /v1/nope');
  });

  it('answers 413 when Content-Length declares a body over the limit', async () => {
    const app = createHttpApp({ engine: upstream.engine, maxRequestBodyBytes: 64 });
    const response = await app.request('/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': '65' },
      body: 'x'.repeat(65),
    });
    expect(response.status).toBe(413);
    const answer = await readError(response);
    expect(answer.extra_fields?.error_code).toBe('payload_too_large');
    expect(answer.error.message).toBe(
      'request body exceeds the 64-byte limit (client.max_request_body_size_mb)',
    );
  });

  it('answers 413 when a body without Content-Length grows over the limit', async () => {
    const app = createHttpApp({ engine: upstream.engine, maxRequestBodyBytes: 64 });
    const chunk = new TextEncoder().encode('x'.repeat(40));
    let pulls = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls++;
        controller.enqueue(chunk);
        if (pulls === 10) controller.close();
      },
    });
    const response = await app.request('/v1/chat/completions', {
      method: 'POST',
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    // Reading stops at the chunk that crosses the limit instead of buffering all ten.
    expect(pulls).toBeLessThan(10);
  });

  it('accepts a body of exactly the limit', async () => {
    const app = createHttpApp({ engine: upstream.engine, maxRequestBodyBytes: 2 });
    const response = await postJson(app, '/v1/chat/completions', '{}');
    expect(response.status).toBe(400);
    expect((await readError(response)).error.param).toBe('model');
  });
});
