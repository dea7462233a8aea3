import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpRequestEvent, Plugin } from '@bifrost/schemas';
import { serve } from '@hono/node-server';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpApp } from './create-http-app.js';
import { createMockOpenAIEngine, type MockOpenAIEngine } from './testing/mock-openai-engine.js';
import { openAIEventStream, openAIFixture } from './testing/openai-fixture.js';

const messages = [{ role: 'user', content: 'Hello!' }];

let upstream: MockOpenAIEngine | undefined;
let server: Server | undefined;

afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
  await upstream?.shutdown();
  upstream = undefined;
});

/** A plugin that keeps every HTTP event it is told about. */
function observer(): Plugin & { events: HttpRequestEvent[] } {
  const events: HttpRequestEvent[] = [];
  return { name: 'observer', events, onHttpRequest: (event) => void events.push(event) };
}

function postChat(app: ReturnType<typeof createHttpApp>, headers: Record<string, string> = {}) {
  const body = JSON.stringify({ model: 'openai/gpt-4o-mini', messages });
  return app.request('/v1/chat/completions', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': String(body.length), ...headers },
    body,
  });
}

describe('plugins on the HTTP transport', () => {
  it("mounts a plugin's routes", async () => {
    upstream = await createMockOpenAIEngine({
      plugins: [
        {
          name: 'status-page',
          httpRoutes: [
            { method: 'GET', path: '/status/:part', handle: (request) => new Response(request.url) },
          ],
        },
      ],
    });
    const app = createHttpApp({ engine: upstream.engine });

    const response = await app.request('/status/queues');

    expect(response.status).toBe(200);
    expect(await response.text()).toBe('http://localhost/status/queues');
  });

  it('installs no request middleware when no plugin defines onHttpRequest', async () => {
    upstream = await createMockOpenAIEngine({ plugins: [{ name: 'quiet' }] });

    const app = createHttpApp({ engine: upstream.engine });

    // The admin guard is mounted on the management prefixes only; nothing runs for every request.
    expect(app.routes.filter((route) => route.method === 'ALL' && route.path === '/*')).toEqual([]);
  });

  it('tells plugins about a request with its route template, status, sizes and headers minus credentials', async () => {
    const plugin = observer();
    upstream = await createMockOpenAIEngine({ plugins: [plugin] });
    upstream.reply({ path: '/v1/chat/completions', body: openAIFixture('chat-completion') });
    const app = createHttpApp({ engine: upstream.engine });

    const response = await postChat(app, { authorization: 'Bearer sk-caller', 'x-bf-prom-team': 'search' });
    const body = await response.text();

    expect(plugin.events).toHaveLength(1);
    expect(plugin.events[0]).toMatchObject({
      method: 'POST',
      route: '/v1/chat/completions',
      status: 200,
      responseBytes: Buffer.byteLength(body),
    });
    expect(plugin.events[0]!.requestBytes).toBeGreaterThan(0);
    expect(plugin.events[0]!.headers['x-bf-prom-team']).toBe('search');
    expect(plugin.events[0]!.headers).not.toHaveProperty('authorization');
    expect(plugin.events[0]!.durationSeconds).toBeGreaterThanOrEqual(0);
  });

  it('reports an error answer with its status, and an unknown path as unmatched', async () => {
    const plugin = observer();
    upstream = await createMockOpenAIEngine({ plugins: [plugin] });
    upstream.reply({ path: '/v1/chat/completions', status: 429, body: { error: { message: 'slow down' } } });
    const app = createHttpApp({ engine: upstream.engine });

    await postChat(app);
    await app.request('/v1/no/such/route/1234');

    expect(plugin.events.map(({ route, status }) => ({ route, status }))).toEqual([
      { route: '/v1/chat/completions', status: 429 },
      { route: 'unmatched', status: 404 },
    ]);
  });

  it('measures a stream served as a web Response once the client has read it', async () => {
    const plugin = observer();
    upstream = await createMockOpenAIEngine({ plugins: [plugin] });
    upstream.reply({
      path: '/v1/chat/completions',
      body: openAIEventStream(openAIFixture<unknown[]>('chat-stream-chunks')),
    });
    const app = createHttpApp({ engine: upstream.engine });

    const response = await app.request('/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages, stream: true }),
    });
    const received = Buffer.from(await response.arrayBuffer()).byteLength;
    await new Promise((resolve) => setImmediate(resolve));

    expect(plugin.events).toHaveLength(1);
    expect(plugin.events[0]).toMatchObject({ status: 200, responseBytes: received });
  });

  it('counts the bytes of a stream written straight to the Node response', async () => {
    const plugin = observer();
    upstream = await createMockOpenAIEngine({ plugins: [plugin] });
    const chunks = openAIFixture<unknown[]>('chat-stream-chunks');
    upstream.reply({ path: '/v1/chat/completions', body: openAIEventStream(chunks) });
    const app = createHttpApp({ engine: upstream.engine });
    server = await new Promise<Server>((resolve) => {
      const created = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
        resolve(created as Server),
      ) as Server;
    });

    const response = await fetch(
      `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat/completions`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages, stream: true }),
      },
    );
    const received = Buffer.from(await response.arrayBuffer()).byteLength;
    await new Promise((resolve) => setImmediate(resolve));

    expect(plugin.events).toHaveLength(1);
    expect(plugin.events[0]).toMatchObject({
      route: '/v1/chat/completions',
      status: 200,
      responseBytes: received,
    });
  });
});
