import type { ChatRequest } from '@bifrost/schemas';
import { afterEach, describe, expect, it } from 'vitest';
import { readOpenAIFixture } from './testing/openai-fixtures.js';
import { rejection } from './testing/rejection.js';
import { createTestEngine, oneKey, type TestEngine } from './testing/test-engine.js';

const openai = 'https://api.openai.com';
const messages: ChatRequest['messages'] = [{ role: 'user', content: 'Hello!' }];
const chat = (model = 'gpt-4o-mini'): ChatRequest => ({ provider: 'openai', model, messages });

let engine: TestEngine | undefined;
afterEach(async () => {
  await engine?.bifrost.shutdown();
  engine = undefined;
});

async function start(options: Parameters<typeof createTestEngine>[0]): Promise<TestEngine> {
  engine = await createTestEngine(options);
  return engine;
}

describe('Bifrost', () => {
  it('sends a chat completion upstream and stamps who answered and how long it took', async () => {
    const { bifrost, upstream } = await start({ providers: { openai: oneKey('sk-primary') } });
    upstream.reply(openai, '/v1/chat/completions', 200, readOpenAIFixture('chat-completion'));
    const answer = await bifrost.chatCompletion({ ...chat(), params: { temperature: 0, user: 'u-1' } });
    expect(upstream.requests).toEqual([
      {
        origin: openai,
        method: 'POST',
        path: '/v1/chat/completions',
        headers: { 'content-type': 'application/json', authorization: 'Bearer sk-primary' },
        body: { temperature: 0, user: 'u-1', model: 'gpt-4o-mini', messages },
      },
    ]);
    expect(answer).toEqual({
      ...readOpenAIFixture<object>('chat-completion'),
      extra_fields: { provider: 'openai', model: 'gpt-4o-mini', latency: 10 },
    });
  });

  it('uses the weighted key that serves the model', async () => {
    const { bifrost, upstream } = await start({
      providers: {
        openai: {
          keys: [
            { value: 'sk-4o-only', models: ['gpt-4o'], weight: 5 },
            { value: 'sk-low', models: ['*'], weight: 1 },
            { value: 'sk-high', models: [], weight: 3 },
            { value: 'sk-off', weight: 0 },
          ],
        },
      },
      random: () => 0.2,
    });
    upstream.reply(openai, '/v1/chat/completions', 200, readOpenAIFixture('chat-completion'));
    upstream.reply(openai, '/v1/chat/completions', 200, readOpenAIFixture('chat-completion'));
    await bifrost.chatCompletion(chat('gpt-4o-mini'));
    await bifrost.chatCompletion(chat('gpt-4o'));
    expect(upstream.requests.map((request) => request.headers.authorization)).toEqual([
      'Bearer sk-low',
      'Bearer sk-4o-only',
    ]);
  });

  it('asks the account for keys on every request, so a rotated key takes effect at once', async () => {
    const { bifrost, upstream, account } = await start({ providers: { openai: oneKey('sk-old') } });
    upstream.reply(openai, '/v1/chat/completions', 200, readOpenAIFixture('chat-completion'));
    upstream.reply(openai, '/v1/chat/completions', 200, readOpenAIFixture('chat-completion'));
    await bifrost.chatCompletion(chat());
    account.setKeys('openai', [{ value: 'sk-new', models: [], weight: 1 }]);
    await bifrost.chatCompletion(chat());
    expect(upstream.requests.map((request) => request.headers.authorization)).toEqual([
      'Bearer sk-old',
      'Bearer sk-new',
    ]);
  });

  it("uses a caller's own key instead of the account's", async () => {
    const { bifrost, upstream } = await start({ providers: { openai: oneKey('sk-account') } });
    upstream.reply(openai, '/v1/chat/completions', 200, readOpenAIFixture('chat-completion'));
    await bifrost.chatCompletion(chat(), { key: { value: 'sk-caller', models: [], weight: 1 } });
    expect(upstream.requests[0]!.headers.authorization).toBe('Bearer sk-caller');
  });

  it('refuses with no_key_available and sends nothing when no key serves the model', async () => {
    const { bifrost, upstream } = await start({ providers: { openai: oneKey('sk-1', ['gpt-4o']) } });
    const error = await rejection(bifrost.chatCompletion(chat('o3')));
    expect(error).toMatchObject({
      code: 'no_key_available',
      provider: 'openai',
      model: 'o3',
      statusCode: 400,
    });
    expect(upstream.requests).toEqual([]);
  });

  it('sends a text completion as prompt', async () => {
    const { bifrost, upstream } = await start({ providers: { openai: oneKey('sk-1') } });
    upstream.reply(openai, '/v1/completions', 200, readOpenAIFixture('completion'));
    const answer = await bifrost.textCompletion({
      provider: 'openai',
      model: 'gpt-3.5-turbo-instruct',
      text: 'Say this is a test',
      params: { max_tokens: 7 },
    });
    expect(upstream.requests[0]).toMatchObject({
      path: '/v1/completions',
      body: { max_tokens: 7, model: 'gpt-3.5-turbo-instruct', prompt: 'Say this is a test' },
    });
    expect(answer.choices[0]!.text).toBe('\n\nThis is indeed a test');
    expect(answer.extra_fields).toEqual({ provider: 'openai', model: 'gpt-3.5-turbo-instruct', latency: 10 });
  });

  it('sends embeddings as input', async () => {
    const { bifrost, upstream } = await start({ providers: { openai: oneKey('sk-1') } });
    upstream.reply(openai, '/v1/embeddings', 200, readOpenAIFixture('embeddings'));
    const answer = await bifrost.embedding({
      provider: 'openai',
      model: 'text-embedding-ada-002',
      input: 'The food was delicious and the waiter...',
      params: { encoding_format: 'float' },
    });
    expect(upstream.requests[0]).toMatchObject({
      path: '/v1/embeddings',
      body: {
        encoding_format: 'float',
        model: 'text-embedding-ada-002',
        input: 'The food was delicious and the waiter...',
      },
    });
    expect(answer.data[0]!.embedding).toEqual([0.0023064255, -0.009327292, -0.0028842222]);
  });

  it('calls keyless ollama without an authorization header', async () => {
    const { bifrost, upstream } = await start({ providers: { ollama: {} } });
    upstream.reply('http://localhost:11434', '/api/chat', 200, {
      model: 'llama3.2',
      created_at: '2023-12-12T14:13:43.416799Z',
      message: { role: 'assistant', content: 'Hello! How are you today?' },
      done: true,
      done_reason: 'stop',
    });
    const answer = await bifrost.chatCompletion({ provider: 'ollama', model: 'llama3.2', messages });
    expect(upstream.requests[0]!.headers).toEqual({ 'content-type': 'application/json' });
    expect(answer.extra_fields.provider).toBe('ollama');
  });

  it('refuses a provider that is not configured', async () => {
    const { bifrost } = await start({ providers: { openai: oneKey('sk-1') } });
    const error = await rejection(bifrost.chatCompletion({ provider: 'groq', model: 'llama', messages }));
    expect(error).toMatchObject({ code: 'provider_not_configured', provider: 'groq', param: 'provider' });
  });

  it('turns a 200 that carries an error into provider_error', async () => {
    const { bifrost, upstream } = await start({ providers: { openai: oneKey('sk-1') } });
    upstream.reply(openai, '/v1/chat/completions', 200, readOpenAIFixture('error-500-server-error'));
    const error = await rejection(bifrost.chatCompletion(chat()));
    expect(error).toMatchObject({ code: 'provider_error', fromProvider: true, upstreamType: 'server_error' });
    expect(error.message).toBe('The server had an error while processing your request. Sorry about that!');
  });

  it('puts the raw provider body in extra_fields when send_back_raw_response is set', async () => {
    const { bifrost, upstream } = await start({
      providers: { openai: { ...oneKey('sk-1'), send_back_raw_response: true } },
    });
    upstream.reply(openai, '/v1/chat/completions', 200, readOpenAIFixture('chat-completion'));
    const answer = await bifrost.chatCompletion(chat());
    expect(answer.extra_fields.raw_response).toEqual(readOpenAIFixture('chat-completion'));
  });

  it('refuses at once with queue_full when the queue is full and dropExcessRequests is set', async () => {
    const { bifrost, upstream } = await start({
      providers: {
        openai: { ...oneKey('sk-1'), concurrency_and_buffer_size: { concurrency: 1, buffer_size: 1 } },
      },
      dropExcessRequests: true,
    });
    const release = upstream.hold(openai, '/v1/chat/completions', 200, readOpenAIFixture('chat-completion'));
    upstream.reply(openai, '/v1/chat/completions', 200, readOpenAIFixture('chat-completion'));
    const running = bifrost.chatCompletion(chat());
    const buffered = bifrost.chatCompletion(chat());
    const refused = await rejection(bifrost.chatCompletion(chat()));
    expect(refused).toMatchObject({ code: 'queue_full', statusCode: 429, provider: 'openai' });
    expect(bifrost.queueStats()).toEqual({ openai: { inFlight: 1, waiting: 1 } });
    release();
    await expect(running).resolves.toMatchObject({ object: 'chat.completion' });
    await expect(buffered).resolves.toMatchObject({ object: 'chat.completion' });
    expect(bifrost.queueStats()).toEqual({ openai: { inFlight: 0, waiting: 0 } });
  });

  it('takes a queued request out of the queue when its caller aborts', async () => {
    const { bifrost, upstream } = await start({
      providers: {
        openai: { ...oneKey('sk-1'), concurrency_and_buffer_size: { concurrency: 1, buffer_size: 4 } },
      },
    });
    const release = upstream.hold(openai, '/v1/chat/completions', 200, readOpenAIFixture('chat-completion'));
    const running = bifrost.chatCompletion(chat());
    const controller = new AbortController();
    const queued = bifrost.chatCompletion(chat(), { signal: controller.signal });
    expect(bifrost.queueStats().openai).toEqual({ inFlight: 1, waiting: 1 });
    controller.abort();
    expect(await rejection(queued)).toMatchObject({ code: 'cancelled' });
    expect(bifrost.queueStats().openai).toEqual({ inFlight: 1, waiting: 0 });
    release();
    await running;
    expect(upstream.requests).toHaveLength(1);
  });

  it('refuses new requests with shutting_down after shutdown', async () => {
    const cleaned: string[] = [];
    const { bifrost } = await start({
      providers: { openai: oneKey('sk-1') },
      plugins: [{ name: 'flusher', cleanup: () => void cleaned.push('flusher') }],
    });
    await bifrost.shutdown();
    expect(cleaned).toEqual(['flusher']);
    expect(await rejection(bifrost.chatCompletion(chat()))).toMatchObject({
      code: 'shutting_down',
      statusCode: 503,
    });
    await expect(bifrost.chatCompletionStream(chat())).rejects.toMatchObject({ code: 'shutting_down' });
  });

  it('lists the models of every provider, skipping one that fails', async () => {
    const { bifrost, upstream } = await start({
      providers: { openai: oneKey('sk-1'), groq: oneKey('gsk-1') },
    });
    upstream.reply(openai, '/v1/models', 200, readOpenAIFixture('models'), { method: 'GET' });
    upstream.reply(
      'https://api.groq.com',
      '/openai/v1/models',
      401,
      { error: { message: 'bad key' } },
      { method: 'GET' },
    );
    const models = await bifrost.listModels();
    expect(models.map((model) => model.id)).toEqual([
      'openai/model-id-0',
      'openai/model-id-1',
      'openai/model-id-2',
    ]);
    expect(bifrost.providers).toEqual(['openai', 'groq']);
  });

  it('answers with the failure when asked for one provider whose listing fails', async () => {
    const { bifrost, upstream } = await start({ providers: { groq: oneKey('gsk-1') } });
    upstream.reply(
      'https://api.groq.com',
      '/openai/v1/models',
      401,
      { error: { message: 'Invalid API Key', type: 'invalid_request_error', code: 'invalid_api_key' } },
      { method: 'GET' },
    );
    expect(await rejection(bifrost.listModels('groq'))).toMatchObject({
      code: 'authentication_failed',
      statusCode: 401,
      message: 'Invalid API Key',
    });
  });
});
