import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpApp } from './create-http-app.js';
import { createMockOpenAIEngine, type MockOpenAIEngine } from './testing/mock-openai-engine.js';
import { openAIEventStream, openAIFixture } from './testing/openai-fixture.js';
import { readError } from './testing/read-error.js';
import { readServerSentEvents } from './testing/read-server-sent-events.js';

const messages = [{ role: 'user', content: 'Hello!' }];
const chunks =
  openAIFixture<Array<{ choices: Array<{ delta: { content?: string } }> }>>('chat-stream-chunks');

let upstream: MockOpenAIEngine;

beforeEach(async () => {
  upstream = await createMockOpenAIEngine();
});

afterEach(async () => {
  await upstream.shutdown();
});

function postStream(app: ReturnType<typeof createHttpApp>, body: Record<string, unknown>) {
  return app.request('/v1/chat/completions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages, stream: true, ...body }),
  });
}

describe('POST /v1/chat/completions with stream: true', () => {
  it('asks upstream for a stream and relays the chunks as server-sent events', async () => {
    upstream.reply({ path: '/v1/chat/completions', body: openAIEventStream(chunks) });
    const app = createHttpApp({ engine: upstream.engine });

    const response = await postStream(app, { temperature: 0 });

    expect(upstream.requests[0]!.body).toEqual({
      model: 'gpt-4o-mini',
      messages,
      temperature: 0,
      stream: true,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('x-bf-retries')).toBe('0');
    const events = readServerSentEvents(await response.text());
    expect(events).toHaveLength(chunks.length + 1);
    expect(events.at(-1)).toBe('[DONE]');
    const relayed = events.slice(0, -1).map((event) => JSON.parse(event));
    expect(relayed.map((chunk) => chunk.choices[0].delta.content ?? '').join('')).toBe(
      'Hello! How can I assist you today?',
    );
    expect(relayed[0]).toEqual(chunks[0]);
    expect(relayed.at(-1)).toMatchObject({
      choices: [{ finish_reason: 'stop' }],
      extra_fields: { provider: 'openai', model: 'gpt-4o-mini', latency: expect.any(Number) },
    });
  });

  it('ends with a data: {"error":…} event when the upstream stream breaks off', async () => {
    // Three chunks, then the connection closes with neither a finish reason nor [DONE].
    upstream.reply({
      path: '/v1/chat/completions',
      body: openAIEventStream(chunks.slice(0, 3), { done: false }),
    });
    const app = createHttpApp({ engine: upstream.engine });

    const response = await postStream(app, {});

    expect(response.status).toBe(200);
    const events = readServerSentEvents(await response.text());
    expect(events).toHaveLength(4);
    expect(events.slice(0, 3).map((event) => JSON.parse(event))).toEqual(chunks.slice(0, 3));
    const failure = JSON.parse(events[3]!);
    expect(failure).toMatchObject({
      is_bifrost_error: true,
      status_code: 502,
      error: { message: 'openai closed the stream before it finished' },
      extra_fields: { error_code: 'provider_error', provider: 'openai', model: 'gpt-4o-mini' },
    });
    expect(events).not.toContain('[DONE]');
  });

  it('answers with the upstream status when the stream fails before its first chunk', async () => {
    upstream.reply({
      path: '/v1/chat/completions',
      status: 429,
      body: openAIFixture('error-429-rate-limit'),
    });
    const app = createHttpApp({ engine: upstream.engine });

    const response = await postStream(app, {});

    expect(response.status).toBe(429);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect((await readError(response)).error.code).toBe('rate_limit_exceeded');
  });

  it('refuses a stream field that is not a boolean', async () => {
    const app = createHttpApp({ engine: upstream.engine });
    const response = await postStream(app, { stream: 'yes' });
    expect(response.status).toBe(400);
    expect((await readError(response)).error.param).toBe('stream');
    expect(upstream.requests).toHaveLength(0);
  });
});
