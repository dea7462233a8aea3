import type { ChatRequest, ChatStreamChunk } from '@bifrost/schemas';
import { afterEach, describe, expect, it } from 'vitest';
import { GatewayError } from './errors/gateway-error.js';
import { readOpenAIFixture } from './testing/openai-fixtures.js';
import { createTestEngine, oneKey, type TestEngine } from './testing/test-engine.js';

const openai = 'https://api.openai.com';
const path = '/v1/chat/completions';
const key = 'sk-live-0123456789abcdef';
const request: ChatRequest = {
  provider: 'openai',
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'Hello!' }],
};
const echo = { message: `Incorrect API key provided: ${key}`, type: key, code: key, param: key };

let engine: TestEngine | undefined;
afterEach(async () => {
  await engine?.bifrost.shutdown();
  engine = undefined;
});

async function start(): Promise<TestEngine> {
  engine = await createTestEngine({ providers: { openai: oneKey(key) } });
  return engine;
}

async function rejection(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    return error as GatewayError;
  }
  throw new Error('the call succeeded');
}

function expectRedacted(error: GatewayError): void {
  expect(error).toBeInstanceOf(GatewayError);
  const seen = JSON.stringify([
    error.message,
    error.upstreamType,
    error.upstreamCode,
    error.param,
    error.toBifrostError(),
  ]);
  expect(seen).not.toContain(key);
  expect(seen).toContain('[redacted]');
}

describe('Bifrost key redaction', () => {
  it('redacts the key from an error status, type, code and param included', async () => {
    const { bifrost, upstream } = await start();
    upstream.reply(openai, path, 401, { error: echo });
    expectRedacted(await rejection(bifrost.chatCompletion(request)));
  });

  it('redacts the key from an error object in a 200 body', async () => {
    const { bifrost, upstream } = await start();
    upstream.reply(openai, path, 200, { error: echo });
    expectRedacted(await rejection(bifrost.chatCompletion(request)));
  });

  it('redacts the key from an error event in the middle of a stream, after the chunks before it', async () => {
    const { bifrost, upstream } = await start();
    const [first] = readOpenAIFixture<ChatStreamChunk[]>('chat-stream-usage-chunks');
    upstream.replyRawStream(
      openai,
      path,
      `data: ${JSON.stringify(first)}\n\ndata: ${JSON.stringify({ error: echo })}\n\n`,
    );
    const stream = await bifrost.chatCompletionStream(request);
    const received: ChatStreamChunk[] = [];
    const error = await rejection(
      (async () => {
        for await (const chunk of stream) received.push(chunk);
      })(),
    );
    expect(received).toHaveLength(1);
    expectRedacted(error);
  });

  it('redacts the key from a failed model listing, in the error and in the log', async () => {
    const { bifrost, upstream, logger } = await start();
    upstream.reply(openai, '/v1/models', 401, { error: echo }, { method: 'GET' });
    expectRedacted(await rejection(bifrost.listModels('openai')));
    upstream.reply(openai, '/v1/models', 401, { error: echo }, { method: 'GET' });
    expect(await bifrost.listModels()).toEqual([]);
    expect(JSON.stringify(logger.entries)).not.toContain(key);
  });
});
