import type { ChatRequest } from '@bifrost/schemas';
import { afterEach, describe, expect, it } from 'vitest';
import { readOpenAIFixture } from './testing/openai-fixtures.js';
import { rejection } from './testing/rejection.js';
import { createTestEngine, type TestEngine } from './testing/test-engine.js';

const openai = 'https://api.openai.com';
const path = '/v1/chat/completions';
const request: ChatRequest = {
  provider: 'openai',
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'Hello!' }],
};
const completion = () => readOpenAIFixture('chat-completion');
const unauthorized = {
  error: {
    message: 'Incorrect API key provided: sk-b.',
    type: 'invalid_request_error',
    param: null,
    code: 'invalid_api_key',
  },
};
const rateLimited = readOpenAIFixture('error-429-rate-limit');

let engine: TestEngine | undefined;
afterEach(async () => {
  await engine?.bifrost.shutdown();
  engine = undefined;
});

/** Two keys of equal weight; with random fixed at 0.5 the engine picks the second, `sk-b`, first. */
async function start(keys = [{ value: 'sk-a' }, { value: 'sk-b' }]) {
  engine = await createTestEngine({ providers: { openai: { keys, network_config: { max_retries: 0 } } } });
  return engine;
}

const keysUsed = (current: TestEngine) =>
  current.upstream.requests.map((sent) => sent.headers.authorization?.replace('Bearer ', ''));

describe('key cooldown', () => {
  it('retries a 401 on another key of the same provider, even with max_retries 0, and sets the refused key aside', async () => {
    const current = await start();
    current.upstream.reply(openai, path, 401, unauthorized);
    current.upstream.reply(openai, path, 200, completion());
    current.upstream.reply(openai, path, 200, completion());

    const answer = await current.bifrost.chatCompletion(request);
    expect(answer.extra_fields.retries).toBe(1);
    await current.bifrost.chatCompletion(request);

    // The second request avoids sk-b although the weighted choice would pick it.
    expect(keysUsed(current)).toEqual(['sk-b', 'sk-a', 'sk-a']);
  });

  it('moves a 429 with Retry-After to another key at once, without waiting', async () => {
    const current = await start();
    current.upstream.reply(openai, path, 429, rateLimited, { headers: { 'retry-after': '30' } });
    current.upstream.reply(openai, path, 200, completion());

    await current.bifrost.chatCompletion(request);

    expect(keysUsed(current)).toEqual(['sk-b', 'sk-a']);
    expect(current.logger.entries.some((entry) => entry.message === 'retrying')).toBe(false);
  });

  it('answers with the 401 when the provider has no other key', async () => {
    const current = await start([{ value: 'sk-only' }]);
    current.upstream.reply(openai, path, 401, unauthorized);

    const error = await rejection(current.bifrost.chatCompletion(request));

    expect(error.statusCode).toBe(401);
    expect(current.upstream.requests).toHaveLength(1);
  });

  it('answers with the last 401 when every key is refused, trying each once', async () => {
    const current = await start();
    current.upstream.reply(openai, path, 401, unauthorized);
    current.upstream.reply(openai, path, 401, unauthorized);

    const error = await rejection(current.bifrost.chatCompletion(request));

    expect(error.statusCode).toBe(401);
    expect(keysUsed(current)).toEqual(['sk-b', 'sk-a']);
  });

  it('does not set a caller’s own key aside or switch away from it', async () => {
    const current = await start();
    current.upstream.reply(openai, path, 401, unauthorized);

    const error = await rejection(
      current.bifrost.chatCompletion(request, { key: { value: 'sk-caller', models: [], weight: 1 } }),
    );

    expect(error.statusCode).toBe(401);
    expect(keysUsed(current)).toEqual(['sk-caller']);
  });
});
