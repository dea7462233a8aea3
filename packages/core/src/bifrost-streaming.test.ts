import type { ChatRequest, ChatResponse, ChatStreamChunk, Plugin, PostHookOutcome } from '@bifrost/schemas';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatCompletionStream } from './engine/chat-completion-stream.js';
import { rawChunkJson } from './streaming/raw-chunk-json.js';
import { readOpenAIFixture } from './testing/openai-fixtures.js';
import { createTestEngine, oneKey, type TestEngine, type TestEngineOptions } from './testing/test-engine.js';

const openai = 'https://api.openai.com';
const path = '/v1/chat/completions';
const request: ChatRequest = {
  provider: 'openai',
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'Hello!' }],
};
const usageChunks = () => readOpenAIFixture<ChatStreamChunk[]>('chat-stream-usage-chunks');

let engine: TestEngine | undefined;
afterEach(async () => {
  await engine?.bifrost.shutdown();
  engine = undefined;
});

async function start(extra: Partial<TestEngineOptions> = {}): Promise<TestEngine> {
  engine = await createTestEngine({ providers: { openai: oneKey('sk-1'), groq: oneKey('gsk-1') }, ...extra });
  return engine;
}

async function drain(stream: ChatCompletionStream): Promise<ChatStreamChunk[]> {
  const chunks: ChatStreamChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

/** A plugin that keeps what its postHook saw. */
function observer(): Plugin & { outcomes: PostHookOutcome[]; chunkCount: number } {
  const plugin = {
    name: 'observer',
    outcomes: [] as PostHookOutcome[],
    chunkCount: 0,
    postHook: (_context: unknown, outcome: PostHookOutcome) => {
      plugin.outcomes.push(outcome);
    },
    onStreamChunk: () => {
      plugin.chunkCount++;
    },
  };
  return plugin;
}

describe('Bifrost streaming', () => {
  it('yields the chunks in order with extra_fields on the finish and usage chunks only', async () => {
    const { bifrost, upstream } = await start();
    upstream.replyStream(openai, path, usageChunks());
    const stream = await bifrost.chatCompletionStream({
      ...request,
      params: { stream_options: { include_usage: true } },
    });
    const chunks = await drain(stream);
    expect(upstream.requests[0]!.body).toMatchObject({
      model: 'gpt-4o-mini',
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(chunks.map(({ extra_fields: _extra, ...chunk }) => chunk)).toEqual(usageChunks());
    const stamped = chunks.flatMap((chunk, index) => (chunk.extra_fields ? [index] : []));
    expect(stamped).toEqual([10, 11]);
    expect(chunks[11]!.extra_fields).toEqual({
      provider: 'openai',
      model: 'gpt-4o-mini',
      latency: expect.any(Number),
    });
    expect(stream).toMatchObject({ provider: 'openai', model: 'gpt-4o-mini', retries: 0, fallbackIndex: 0 });
  });

  it('shows closing-chunk hooks only the finish and usage chunks, and keeps the others as the provider sent them', async () => {
    const seen: number[] = [];
    const closing: Plugin = {
      name: 'closing',
      onClosingStreamChunk: (_context, chunk) => {
        seen.push(chunk.usage?.total_tokens ?? -1);
        if (chunk.usage && chunk.extra_fields) chunk.extra_fields.cost = 0.5;
      },
    };
    const { bifrost, upstream } = await start({ plugins: [closing] });
    upstream.replyStream(openai, path, usageChunks());
    const stream = await bifrost.chatCompletionStream({
      ...request,
      params: { stream_options: { include_usage: true } },
    });
    const chunks = await drain(stream);
    expect(seen).toHaveLength(2);
    expect(chunks[11]!.extra_fields).toMatchObject({ cost: 0.5 });
    expect(chunks.slice(0, 10).every((chunk) => rawChunkJson(chunk) !== undefined)).toBe(true);
  });

  it('retries a failure before the first chunk and says so on the stream', async () => {
    const { bifrost, upstream } = await start({
      providers: {
        openai: { ...oneKey('sk-1'), network_config: { max_retries: 1, retry_backoff_initial: 0 } },
      },
    });
    upstream.reply(openai, path, 500, readOpenAIFixture('error-500-server-error'));
    upstream.replyStream(openai, path, usageChunks());
    const stream = await bifrost.chatCompletionStream(request);
    const chunks = await drain(stream);
    expect(stream.retries).toBe(1);
    expect(chunks.at(-1)!.extra_fields?.retries).toBe(1);
  });

  it('falls back to the next provider before the first chunk', async () => {
    const { bifrost, upstream } = await start();
    upstream.reply(openai, path, 503, { error: { message: 'overloaded' } });
    upstream.replyStream('https://api.groq.com', '/openai/v1/chat/completions', usageChunks());
    const stream = await bifrost.chatCompletionStream({
      ...request,
      fallbacks: [{ provider: 'groq', model: 'llama-3.1-8b-instant' }],
    });
    const chunks = await drain(stream);
    expect(stream).toMatchObject({ provider: 'groq', fallbackIndex: 1 });
    expect(chunks.at(-1)!.extra_fields).toMatchObject({
      provider: 'groq',
      model: 'llama-3.1-8b-instant',
      fallback_index: 1,
    });
  });

  it('runs postHooks once at the end with the accumulated response', async () => {
    const plugin = observer();
    const { bifrost, upstream } = await start({ plugins: [plugin] });
    upstream.replyStream(openai, path, usageChunks());
    const chunks = await drain(await bifrost.chatCompletionStream(request));
    expect(plugin.chunkCount).toBe(chunks.length);
    expect(plugin.outcomes).toHaveLength(1);
    const response = plugin.outcomes[0]!.response as ChatResponse;
    expect(response).toMatchObject({
      id: 'chatcmpl-123',
      object: 'chat.completion',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hello! How can I assist you today?' },
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 19, completion_tokens: 10, total_tokens: 29 },
      extra_fields: { provider: 'openai', model: 'gpt-4o-mini' },
    });
  });

  it('raises provider_error when the stream is cut before it finishes, and tells the postHooks', async () => {
    const plugin = observer();
    const { bifrost, upstream } = await start({ plugins: [plugin] });
    upstream.replyStream(openai, path, usageChunks().slice(0, 4), { done: false });
    const stream = await bifrost.chatCompletionStream(request);
    const received: ChatStreamChunk[] = [];
    const reading = (async () => {
      for await (const chunk of stream) received.push(chunk);
    })();
    await expect(reading).rejects.toMatchObject({ code: 'provider_error', provider: 'openai' });
    expect(received).toHaveLength(4);
    expect(plugin.outcomes).toEqual([
      {
        error: expect.objectContaining({
          extra_fields: expect.objectContaining({ error_code: 'provider_error' }),
        }),
      },
    ]);
  });

  it('stops with cancelled when the caller aborts mid-stream', async () => {
    const { bifrost, upstream } = await start();
    upstream.replyStream(openai, path, usageChunks());
    const controller = new AbortController();
    const stream = await bifrost.chatCompletionStream(request, { signal: controller.signal });
    let received = 0;
    const reading = (async () => {
      for await (const _chunk of stream) {
        received++;
        if (received === 3) controller.abort();
      }
    })();
    await expect(reading).rejects.toMatchObject({ code: 'cancelled' });
    expect(received).toBe(3);
  });

  it('streams a response a plugin answers with, without calling the provider', async () => {
    const plugin = observer();
    const cached = {
      ...readOpenAIFixture<ChatResponse>('chat-completion'),
      extra_fields: { provider: 'openai' as const, model: 'cache', latency: 0 },
    };
    const cache: Plugin = { name: 'cache', preHook: () => ({ shortCircuit: { response: cached } }) };
    const { bifrost, upstream } = await start({ plugins: [plugin, cache] });
    const chunks = await drain(await bifrost.chatCompletionStream(request));
    expect(upstream.requests).toEqual([]);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? null)).toEqual([
      'Hello! How can I assist you today?',
      null,
    ]);
    expect(chunks[1]).toMatchObject({
      usage: cached.usage,
      extra_fields: { provider: 'openai', model: 'gpt-4o-mini' },
    });
    expect(plugin.outcomes[0]!.response).toMatchObject({
      choices: [{ message: { content: 'Hello! How can I assist you today?' } }],
    });
  });

  it('streams the response a postHook recovers an upstream error with', async () => {
    const recovered = {
      ...readOpenAIFixture<ChatResponse>('chat-completion'),
      extra_fields: { provider: 'openai' as const, model: 'm', latency: 0 },
    };
    const fallbackAnswer: Plugin = {
      name: 'canned',
      postHook: (_context, outcome) => (outcome.error ? { response: recovered } : undefined),
    };
    const { bifrost, upstream } = await start({ plugins: [fallbackAnswer] });
    upstream.reply(openai, path, 400, readOpenAIFixture('error-400-missing-parameter'));
    const chunks = await drain(await bifrost.chatCompletionStream(request));
    expect(chunks[0]!.choices[0]!.delta.content).toBe('Hello! How can I assist you today?');
  });

  it('keeps the Retry-After of a refused stream when no postHook replaced the error', async () => {
    const { bifrost, upstream } = await start({ plugins: [observer()] });
    upstream.reply(openai, path, 429, readOpenAIFixture('error-429-rate-limit'), {
      headers: { 'retry-after': '90' },
    });
    await expect(bifrost.chatCompletionStream(request)).rejects.toMatchObject({
      code: 'rate_limited',
      retryAfterMs: 90_000,
    });
  });

  it('can be iterated only once', async () => {
    const { bifrost, upstream } = await start();
    upstream.replyStream(openai, path, usageChunks());
    const stream = await bifrost.chatCompletionStream(request);
    await drain(stream);
    expect(() => stream[Symbol.asyncIterator]()).toThrow(TypeError);
  });
});
