import type { ChatRequest } from '@bifrost/schemas';
import { afterEach, describe, expect, it } from 'vitest';
import { connectionReset } from './testing/mock-upstream.js';
import { readOpenAIFixture } from './testing/openai-fixtures.js';
import { rejection } from './testing/rejection.js';
import { createTestEngine, oneKey, type TestEngine, type TestEngineOptions } from './testing/test-engine.js';

const openai = 'https://api.openai.com';
const groq = 'https://api.groq.com';
const ollama = 'http://localhost:11434';
const messages: ChatRequest['messages'] = [{ role: 'user', content: 'Hello!' }];
const request: ChatRequest = {
  provider: 'openai',
  model: 'gpt-4o-mini',
  messages,
  params: { temperature: 0.3 },
  fallbacks: [
    { provider: 'groq', model: 'llama-3.1-8b-instant' },
    { provider: 'ollama', model: 'llama3.2' },
  ],
};
const completion = () => readOpenAIFixture('chat-completion');
const serverError = () => readOpenAIFixture('error-500-server-error');

let engine: TestEngine | undefined;
afterEach(async () => {
  await engine?.bifrost.shutdown();
  engine = undefined;
});

async function start(extra: Partial<TestEngineOptions> = {}): Promise<TestEngine> {
  engine = await createTestEngine({
    providers: { openai: oneKey('sk-openai'), groq: oneKey('gsk-groq'), ollama: {} },
    ...extra,
  });
  return engine;
}

describe('Bifrost fallbacks', () => {
  it('falls back on a 5xx to the next provider, under its own URL, key and model', async () => {
    const { bifrost, upstream } = await start();
    upstream.reply(openai, '/v1/chat/completions', 500, serverError());
    upstream.reply(groq, '/openai/v1/chat/completions', 200, completion());
    const answer = await bifrost.chatCompletion(request);
    expect(
      upstream.requests.map(({ origin, path, headers, body }) => ({
        origin,
        path,
        auth: headers.authorization,
        body,
      })),
    ).toEqual([
      {
        origin: openai,
        path: '/v1/chat/completions',
        auth: 'Bearer sk-openai',
        body: { temperature: 0.3, model: 'gpt-4o-mini', messages },
      },
      {
        origin: groq,
        path: '/openai/v1/chat/completions',
        auth: 'Bearer gsk-groq',
        body: { temperature: 0.3, model: 'llama-3.1-8b-instant', messages },
      },
    ]);
    expect(answer.extra_fields).toEqual({
      provider: 'groq',
      model: 'llama-3.1-8b-instant',
      latency: expect.any(Number),
      fallback_index: 1,
    });
  });

  it('tries the fallbacks in order on 429 and network errors', async () => {
    const { bifrost, upstream } = await start();
    upstream.reply(openai, '/v1/chat/completions', 429, readOpenAIFixture('error-429-rate-limit'));
    upstream.replyWithError(groq, '/openai/v1/chat/completions', connectionReset());
    upstream.reply(ollama, '/api/chat', 200, {
      model: 'llama3.2',
      created_at: '2023-12-12T14:13:43.416799Z',
      message: { role: 'assistant', content: 'Hello! How are you today?' },
      done: true,
      done_reason: 'stop',
    });
    const answer = await bifrost.chatCompletion(request);
    expect(upstream.requests.map((sent) => sent.origin)).toEqual([openai, groq, ollama]);
    expect(answer.extra_fields).toMatchObject({ provider: 'ollama', model: 'llama3.2', fallback_index: 2 });
  });

  it('does not fall back on a 400', async () => {
    const { bifrost, upstream } = await start();
    upstream.reply(openai, '/v1/chat/completions', 400, readOpenAIFixture('error-400-missing-parameter'));
    expect(await rejection(bifrost.chatCompletion(request))).toMatchObject({
      code: 'invalid_request',
      provider: 'openai',
    });
    expect(upstream.requests).toHaveLength(1);
  });

  it("returns the primary's error when every fallback fails too", async () => {
    const { bifrost, upstream } = await start();
    upstream.reply(openai, '/v1/chat/completions', 503, { error: { message: 'openai overloaded' } });
    upstream.reply(groq, '/openai/v1/chat/completions', 500, { error: { message: 'groq broke' } });
    upstream.reply(ollama, '/api/chat', 502, { error: 'ollama broke' });
    const error = await rejection(bifrost.chatCompletion(request));
    expect(error).toMatchObject({
      code: 'provider_unavailable',
      provider: 'openai',
      message: 'openai overloaded',
    });
    expect(upstream.requests).toHaveLength(3);
  });

  it("runs each fallback under its own provider's retry settings", async () => {
    const { bifrost, upstream } = await start({
      providers: {
        openai: oneKey('sk-openai'),
        groq: { ...oneKey('gsk-groq'), network_config: { max_retries: 1, retry_backoff_initial: 0 } },
      },
    });
    upstream.reply(openai, '/v1/chat/completions', 500, serverError());
    upstream.reply(groq, '/openai/v1/chat/completions', 500, serverError());
    upstream.reply(groq, '/openai/v1/chat/completions', 200, completion());
    const answer = await bifrost.chatCompletion({ ...request, fallbacks: [request.fallbacks![0]!] });
    expect(upstream.requests.map((sent) => sent.origin)).toEqual([openai, groq, groq]);
    expect(answer.extra_fields).toMatchObject({ provider: 'groq', retries: 1, fallback_index: 1 });
  });

  it('does not fall back when a plugin short-circuits with allow_fallbacks false', async () => {
    const { bifrost, upstream } = await start({
      plugins: [
        {
          name: 'budget',
          preHook: () => ({
            shortCircuit: {
              error: {
                is_bifrost_error: true,
                status_code: 429,
                error: { message: 'budget exhausted' },
                allow_fallbacks: false,
                extra_fields: { error_code: 'rate_limited' },
              },
            },
          }),
        },
      ],
    });
    const error = await rejection(bifrost.chatCompletion(request));
    expect(error).toMatchObject({ code: 'rate_limited', message: 'budget exhausted', allowFallbacks: false });
    expect(upstream.requests).toEqual([]);
  });

  it('falls back when a plugin short-circuits the primary with a retryable error', async () => {
    const { bifrost, upstream } = await start({
      plugins: [
        {
          name: 'circuit-breaker',
          preHook: (context) =>
            context.provider === 'openai'
              ? {
                  shortCircuit: {
                    error: { is_bifrost_error: true, status_code: 503, error: { message: 'open circuit' } },
                  },
                }
              : undefined,
        },
      ],
    });
    upstream.reply(groq, '/openai/v1/chat/completions', 200, completion());
    const answer = await bifrost.chatCompletion(request);
    expect(answer.extra_fields.provider).toBe('groq');
    expect(upstream.requests.map((sent) => sent.origin)).toEqual([groq]);
  });

  it('falls back when the primary lacks the operation', async () => {
    const { bifrost, upstream } = await start();
    upstream.reply(openai, '/v1/embeddings', 200, readOpenAIFixture('embeddings'));
    const answer = await bifrost.embedding({
      provider: 'groq',
      model: 'llama-3.1-8b-instant',
      input: 'hello',
      fallbacks: [{ provider: 'openai', model: 'text-embedding-3-small' }],
    });
    expect(answer.extra_fields).toMatchObject({ provider: 'openai', fallback_index: 1 });
    expect(upstream.requests.map((sent) => sent.origin)).toEqual([openai]);
  });

  it('does not fall back after the caller cancels', async () => {
    const { bifrost, upstream } = await start();
    const controller = new AbortController();
    controller.abort();
    const error = await rejection(bifrost.chatCompletion(request, { signal: controller.signal }));
    expect(error.code).toBe('cancelled');
    expect(upstream.requests).toEqual([]);
  });
});
