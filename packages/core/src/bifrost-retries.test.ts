import type { ChatRequest } from '@bifrost/schemas';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { connectionReset } from './testing/mock-upstream.js';
import { readOpenAIFixture } from './testing/openai-fixtures.js';
import { rejection } from './testing/rejection.js';
import { sequenceRandom } from './testing/seeded-random.js';
import { createTestEngine, type TestEngine, type TestEngineOptions } from './testing/test-engine.js';

const openai = 'https://api.openai.com';
const path = '/v1/chat/completions';
const request: ChatRequest = {
  provider: 'openai',
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'Hello!' }],
};
const serverError = () => readOpenAIFixture('error-500-server-error');
const rateLimit = () => readOpenAIFixture('error-429-rate-limit');
const completion = () => readOpenAIFixture('chat-completion');

let engine: TestEngine | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await engine?.bifrost.shutdown();
  engine = undefined;
});

/** An engine whose openai provider retries `maxRetries` times with the given initial backoff. */
async function start(maxRetries: number, backoffMs = 0, extra: Partial<TestEngineOptions> = {}) {
  engine = await createTestEngine({
    providers: {
      openai: {
        keys: [{ value: 'sk-1' }],
        network_config: {
          max_retries: maxRetries,
          retry_backoff_initial: backoffMs,
          retry_backoff_max: 10_000,
        },
      },
    },
    ...extra,
  });
  return engine;
}

const retryDelays = (current: TestEngine) =>
  current.logger.entries
    .filter((entry) => entry.message === 'retrying')
    .map((entry) => entry.fields?.delay_ms);

describe('Bifrost retries', () => {
  it('retries a 500 and reports the retries in extra_fields', async () => {
    const { bifrost, upstream } = await start(2);
    upstream.reply(openai, path, 500, serverError());
    upstream.reply(openai, path, 500, serverError());
    upstream.reply(openai, path, 200, completion());
    const answer = await bifrost.chatCompletion(request);
    expect(answer.extra_fields).toMatchObject({ provider: 'openai', retries: 2 });
    expect(upstream.requests).toHaveLength(3);
    expect(new Set(upstream.requests.map((sent) => JSON.stringify(sent.body))).size).toBe(1);
  });

  it('retries a 429 and a network error', async () => {
    const { bifrost, upstream } = await start(2);
    upstream.reply(openai, path, 429, rateLimit());
    upstream.replyWithError(openai, path, connectionReset());
    upstream.reply(openai, path, 200, completion());
    expect((await bifrost.chatCompletion(request)).extra_fields.retries).toBe(2);
  });

  it('gives up after max_retries with the last error and its retry count', async () => {
    const { bifrost, upstream } = await start(2);
    upstream.reply(openai, path, 503, { error: { message: 'overloaded' } });
    upstream.reply(openai, path, 500, serverError());
    upstream.reply(openai, path, 429, rateLimit());
    const error = await rejection(bifrost.chatCompletion(request));
    expect(error).toMatchObject({ code: 'rate_limited', statusCode: 429, retries: 2 });
    expect(error.toBifrostError().extra_fields?.retries).toBe(2);
    expect(upstream.requests).toHaveLength(3);
  });

  it('does not retry a 400', async () => {
    const { bifrost, upstream } = await start(3);
    upstream.reply(openai, path, 400, readOpenAIFixture('error-400-missing-parameter'));
    const error = await rejection(bifrost.chatCompletion(request));
    expect(error).toMatchObject({ code: 'invalid_request', param: 'messages', retries: 0 });
    expect(upstream.requests).toHaveLength(1);
  });

  it('does not retry when max_retries is 0', async () => {
    const { bifrost, upstream } = await start(0);
    upstream.reply(openai, path, 500, serverError());
    expect(await rejection(bifrost.chatCompletion(request))).toMatchObject({
      code: 'provider_error',
      retries: 0,
    });
    expect(upstream.requests).toHaveLength(1);
  });

  it('picks a key afresh for every attempt', async () => {
    // Randomness is drawn for the key, the backoff jitter, then the key again.
    const { bifrost, upstream, account } = await start(1, 0, { random: sequenceRandom(0.1, 0.5, 0.9) });
    account.setKeys('openai', [
      { value: 'sk-a', models: [], weight: 1 },
      { value: 'sk-b', models: [], weight: 1 },
    ]);
    upstream.reply(openai, path, 500, serverError());
    upstream.reply(openai, path, 200, completion());
    await bifrost.chatCompletion(request);
    expect(upstream.requests.map((sent) => sent.headers.authorization)).toEqual([
      'Bearer sk-a',
      'Bearer sk-b',
    ]);
  });

  it('waits the exponential backoff between attempts', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const current = await start(2, 1000);
    const { bifrost, upstream } = current;
    upstream.reply(openai, path, 500, serverError());
    upstream.reply(openai, path, 500, serverError());
    upstream.reply(openai, path, 200, completion());
    const answering = bifrost.chatCompletion(request);
    await vi.advanceTimersByTimeAsync(999);
    expect(upstream.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(upstream.requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1999);
    expect(upstream.requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect((await answering).extra_fields.retries).toBe(2);
    expect(retryDelays(current)).toEqual([1000, 2000]);
  });

  it('waits what Retry-After asks instead of the backoff', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const current = await start(1, 100);
    const { bifrost, upstream } = current;
    upstream.reply(openai, path, 429, rateLimit(), { headers: { 'retry-after': '3' } });
    upstream.reply(openai, path, 200, completion());
    const answering = bifrost.chatCompletion(request);
    await vi.advanceTimersByTimeAsync(2999);
    expect(upstream.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await answering;
    expect(upstream.requests).toHaveLength(2);
    expect(retryDelays(current)).toEqual([3000]);
  });

  it('returns at once when Retry-After is longer than a minute', async () => {
    const { bifrost, upstream } = await start(3);
    upstream.reply(openai, path, 429, rateLimit(), { headers: { 'retry-after': '120' } });
    const error = await rejection(bifrost.chatCompletion(request));
    expect(error).toMatchObject({ code: 'rate_limited', retryAfterMs: 120_000, retries: 0 });
    expect(upstream.requests).toHaveLength(1);
  });

  it('stops waiting with cancelled when the caller aborts during the backoff', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { bifrost, upstream } = await start(3, 5000);
    upstream.reply(openai, path, 500, serverError());
    const controller = new AbortController();
    const answering = rejection(bifrost.chatCompletion(request, { signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(100);
    controller.abort();
    expect(await answering).toMatchObject({ code: 'cancelled', retries: 0 });
    expect(upstream.requests).toHaveLength(1);
    expect(bifrost.queueStats().openai).toEqual({ inFlight: 0, waiting: 0 });
  });

  it('releases its queue slot while it waits to retry', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { bifrost, upstream } = await start(1, 1000);
    upstream.reply(openai, path, 500, serverError());
    upstream.reply(openai, path, 200, completion());
    const answering = bifrost.chatCompletion(request);
    await vi.advanceTimersByTimeAsync(10);
    expect(bifrost.queueStats().openai).toEqual({ inFlight: 0, waiting: 0 });
    await vi.advanceTimersByTimeAsync(1000);
    await answering;
  });
});
