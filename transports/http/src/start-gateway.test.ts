import { createServer } from 'node:http';
import { type AddressInfo, Server as NetServer } from 'node:net';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '@bifrost/core';
import type { Logger } from '@bifrost/schemas';
import { Agent, request } from 'undici';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type GatewayOptions, type RunningGateway, startGateway } from './start-gateway.js';
import { type LoopbackOpenAI, startLoopbackOpenAI } from './testing/loopback-openai.js';
import { openAIFixture } from './testing/openai-fixture.js';

const fixtures = fileURLToPath(new URL('./__fixtures__/', import.meta.url));

let upstream: LoopbackOpenAI;
let gateway: RunningGateway | undefined;
let client: Agent;
let logged: Array<{ level: string; message: string }>;

const logger: Logger = {
  debug: (message) => logged.push({ level: 'debug', message }),
  info: (message) => logged.push({ level: 'info', message }),
  warn: (message) => logged.push({ level: 'warn', message }),
  error: (message) => logged.push({ level: 'error', message }),
};

beforeEach(async () => {
  upstream = await startLoopbackOpenAI();
  // A client that keeps idle connections far longer than any drain, as long-lived SDK clients do.
  client = new Agent({ keepAliveTimeout: 60_000, keepAliveMaxTimeout: 60_000 });
  logged = [];
});

afterEach(async () => {
  await gateway?.close(0);
  gateway = undefined;
  await client.close();
  await upstream.close();
});

async function start(
  client: Record<string, unknown> = {},
  options: Partial<GatewayOptions> = {},
): Promise<RunningGateway> {
  const config = parseConfig(
    {
      client,
      providers: {
        openai: { keys: [{ value: 'sk-loopback' }], network_config: { base_url: upstream.baseUrl } },
      },
    },
    { env: {} },
  );
  gateway = await startGateway({
    config,
    configDirectory: process.cwd(),
    port: 0,
    host: '127.0.0.1',
    logger,
    ...options,
  });
  return gateway;
}

function chat(port: number, content: string, stream = false) {
  return request(`http://127.0.0.1:${port}/v1/chat/completions`, {
    method: 'POST',
    dispatcher: client,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content }], stream }),
  });
}

describe('startGateway', () => {
  it('listens on a free port and answers a chat completion from the configured upstream', async () => {
    const { port } = await start();
    expect(port).toBeGreaterThan(0);
    expect(logged).toContainEqual({ level: 'info', message: 'bifrost-http listening' });

    const response = await chat(port, 'Hello!');

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(await response.body.json()).toMatchObject({
      ...openAIFixture('chat-completion'),
      extra_fields: { provider: 'openai', model: 'gpt-4o-mini' },
    });
    expect(upstream.requests).toHaveLength(1);
    expect(upstream.requests[0]).toMatchObject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { authorization: 'Bearer sk-loopback' },
      body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello!' }] },
    });
  });

  it('listens with the given backlog, 4096 when none is given', async () => {
    const listen = vi.spyOn(NetServer.prototype, 'listen');
    try {
      await start();
      expect(listen).toHaveBeenLastCalledWith(
        expect.objectContaining({ backlog: 4096 }),
        expect.any(Function),
      );
      await gateway?.close(0);
      await start({}, { backlog: 64 });
      expect(listen).toHaveBeenLastCalledWith(expect.objectContaining({ backlog: 64 }), expect.any(Function));
    } finally {
      listen.mockRestore();
    }
  });

  it('refuses a body over the configured limit with 413 over a real socket', async () => {
    const { port } = await start({ max_request_body_size_mb: 0.01 });
    const response = await request(`http://127.0.0.1:${port}/v1/chat/completions`, {
      method: 'POST',
      dispatcher: client,
      // A generator body goes out chunked, with no Content-Length to refuse it up front.
      body: Readable.from(
        (async function* () {
          for (let index = 0; index < 4; index++) yield Buffer.alloc(4096, 32);
        })(),
      ),
    });
    expect(response.statusCode).toBe(413);
    expect(await response.body.json()).toMatchObject({
      error: { message: 'request body exceeds the 10485-byte limit (client.max_request_body_size_mb)' },
      extra_fields: { error_code: 'payload_too_large' },
    });
    expect(upstream.requests).toHaveLength(0);
  });

  it('answers the next request on the same connection after refusing a chunked body', async () => {
    const { port } = await start({ max_request_body_size_mb: 0.01 });
    const oneConnection = new Agent({ connections: 1, pipelining: 1 });
    try {
      const refused = await request(`http://127.0.0.1:${port}/v1/chat/completions`, {
        method: 'POST',
        dispatcher: oneConnection,
        body: Readable.from(
          (async function* () {
            for (let index = 0; index < 16; index++) yield Buffer.alloc(4096, 32);
          })(),
        ),
      });
      expect(refused.statusCode).toBe(413);
      await refused.body.dump();

      const next = await request(`http://127.0.0.1:${port}/v1/chat/completions`, {
        method: 'POST',
        dispatcher: oneConnection,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'openai/gpt-4o-mini',
          messages: [{ role: 'user', content: 'Hello!' }],
        }),
        headersTimeout: 5_000,
      });
      expect(next.statusCode).toBe(200);
      await next.body.dump();
    } finally {
      await oneConnection.destroy();
    }
  });

  it('lets an in-flight request finish before close() resolves', async () => {
    const { port } = await start();
    const events: string[] = [];
    const slow = chat(port, 'slow').then(async (response) => {
      return {
        status: response.statusCode,
        connection: response.headers.connection,
        body: await response.body.json(),
      };
    });
    await upstream.slowArrived;

    // Long enough for an in-flight answer, shorter than the server's 5 s keep-alive the drain must not wait out.
    const closing = gateway!.close(2_000).then(() => events.push('closed'));
    // Let close() run as far as it can on its own before the upstream answers.
    await new Promise((resolve) => setImmediate(resolve));
    events.push('upstream released');
    upstream.releaseSlow();

    const answered = await slow;
    await closing;
    expect(answered.status).toBe(200);
    // So the client opens no new request on a connection the drain is waiting for.
    expect(answered.connection).toBe('close');
    expect(answered.body).toMatchObject({ object: 'chat.completion' });
    expect(events).toEqual(['upstream released', 'closed']);
    expect(logged.filter((entry) => entry.level === 'warn')).toEqual([]);
    await expect(chat(port, 'Hello!')).rejects.toThrow();
  });

  it('lets a stream answered before close() finish, then closes its idle connection', async () => {
    const { port } = await start();
    const response = await chat(port, 'slow', true);
    expect(response.statusCode).toBe(200);
    expect(response.headers.connection).toBe('keep-alive');
    const text = response.body.text();
    await upstream.slowArrived;

    const events: string[] = [];
    // Shorter than the server's 5 s keep-alive: the drain must close the idle connection, not wait it out.
    const closing = gateway!.close(2_000).then(() => events.push('closed'));
    await new Promise((resolve) => setImmediate(resolve));
    events.push('upstream released');
    upstream.releaseSlow();

    expect((await text).trimEnd().endsWith('data: [DONE]')).toBe(true);
    await closing;
    expect(events).toEqual(['upstream released', 'closed']);
    expect(logged.filter((entry) => entry.level === 'warn')).toEqual([]);
  });

  it('shuts its plugins down when the port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    let cleanups = 0;
    const config = parseConfig({ providers: { openai: { network_config: { base_url: upstream.baseUrl } } } });
    config.plugins = [{ name: './echo-plugin.mjs', enabled: true, config: { onCleanup: () => cleanups++ } }];
    try {
      await expect(
        startGateway({ config, configDirectory: fixtures, port, host: '127.0.0.1', logger }),
      ).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      taken.close();
    }
    expect(cleanups).toBe(1);
  });
});
