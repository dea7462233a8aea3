import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChatRequest, ChatStreamChunk } from '@bifrost/schemas';
import { afterEach, describe, expect, it } from 'vitest';
import { Bifrost } from './bifrost.js';
import { MemoryAccount, type ProviderConfigInput } from './testing/memory-account.js';
import { readOpenAIFixture } from './testing/openai-fixtures.js';
import { rejection } from './testing/rejection.js';

type Behaviour = (request: IncomingMessage, response: ServerResponse) => void;

const servers: Server[] = [];
let engine: Bifrost | undefined;
afterEach(async () => {
  await engine?.shutdown();
  engine = undefined;
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A loopback upstream that behaves as told, per request. */
async function upstream(behaviour: Behaviour): Promise<string> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => behaviour(request, response));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function start(providers: Partial<Record<'openai' | 'groq', ProviderConfigInput>>) {
  engine = await Bifrost.init({ account: new MemoryAccount(providers) });
  return engine;
}

const request: ChatRequest = {
  provider: 'openai',
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'Hello!' }],
};
const streamChunks = readOpenAIFixture<ChatStreamChunk[]>('chat-stream-chunks');
const sse = (chunks: readonly unknown[]) =>
  `${chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join('')}data: [DONE]\n\n`;

const streamHeaders = { 'content-type': 'text/event-stream' };
const silentStream: Behaviour = (_request, response) => {
  response.writeHead(200, streamHeaders);
  response.flushHeaders();
};
const goodStream: Behaviour = (_request, response) => {
  response.writeHead(200, streamHeaders);
  response.end(sse(streamChunks));
};

async function contents(stream: AsyncIterable<ChatStreamChunk>): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  return text;
}

describe('per-phase timeouts', () => {
  it('gives up on a stream that accepts and sends nothing within first_token_timeout, and falls back', async () => {
    const silent = await upstream(silentStream);
    const healthy = await upstream(goodStream);
    const bifrost = await start({
      openai: {
        keys: [{ value: 'sk-1' }],
        network_config: { base_url: silent, first_token_timeout_in_seconds: 0.2 },
      },
      groq: { keys: [{ value: 'gsk-1' }], network_config: { base_url: healthy } },
    });

    const stream = await bifrost.chatCompletionStream({
      ...request,
      fallbacks: [{ provider: 'groq', model: 'llama-3.1-8b-instant' }],
    });

    expect(stream.fallbackIndex).toBe(1);
    expect(await contents(stream)).toBe(
      streamChunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join(''),
    );
  });

  it('retries a silent stream against the same provider before falling back', async () => {
    let calls = 0;
    const flaky = await upstream((incoming, response) => {
      calls++;
      (calls === 1 ? silentStream : goodStream)(incoming, response);
    });
    const bifrost = await start({
      openai: {
        keys: [{ value: 'sk-1' }],
        network_config: {
          base_url: flaky,
          first_token_timeout_in_seconds: 0.2,
          max_retries: 1,
          retry_backoff_initial: 1,
        },
      },
    });

    const stream = await bifrost.chatCompletionStream(request);

    expect(stream.retries).toBe(1);
    expect(await contents(stream)).not.toBe('');
  });

  it('cuts a stream that goes silent between chunks after stream_idle_timeout, with a timeout error', async () => {
    const stalls = await upstream((_request, response) => {
      response.writeHead(200, streamHeaders);
      response.write(`data: ${JSON.stringify(streamChunks[0])}\n\n`);
    });
    const bifrost = await start({
      openai: {
        keys: [{ value: 'sk-1' }],
        network_config: { base_url: stalls, stream_idle_timeout_in_seconds: 0.2 },
      },
    });

    const stream = await bifrost.chatCompletionStream(request);
    const error = await rejection(contents(stream));

    expect(error.code).toBe('timeout');
    expect(error.statusCode).toBe(504);
  });

  it('ends an answer that trickles past total_timeout with a timeout error, though no gap is long', async () => {
    const trickles = await upstream((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => response.write(' '), 20);
      response.on('close', () => clearInterval(timer));
    });
    const bifrost = await start({
      openai: {
        keys: [{ value: 'sk-1' }],
        network_config: {
          base_url: trickles,
          total_timeout_in_seconds: 0.3,
          stream_idle_timeout_in_seconds: 5,
        },
      },
    });

    const error = await rejection(bifrost.chatCompletion(request));

    expect(error.code).toBe('timeout');
    expect(error.message).toContain('total_timeout_in_seconds');
  });

  it('times out a request whose headers never come, within first_token_timeout', async () => {
    const hangs = await upstream(() => {});
    const bifrost = await start({
      openai: {
        keys: [{ value: 'sk-1' }],
        network_config: { base_url: hangs, first_token_timeout_in_seconds: 0.2 },
      },
    });

    const error = await rejection(bifrost.chatCompletion(request));

    expect(error.code).toBe('timeout');
    expect(error.retryable).toBe(true);
  });
});
