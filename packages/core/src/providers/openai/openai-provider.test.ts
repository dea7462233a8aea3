import { type ProviderConfig, providerConfigSchema } from '@bifrost/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProviderConfigInput } from '../../testing/memory-account.js';
import { MockUpstream } from '../../testing/mock-upstream.js';
import { readOpenAIFixture } from '../../testing/openai-fixtures.js';
import { type OpenAICompatibleProviderName, openAICompatibleProfiles } from './openai-compatible-profiles.js';
import { OpenAIProvider } from './openai-provider.js';

const openai = 'https://api.openai.com';
const key = { value: 'sk-test', models: [], weight: 1 };
const messages = [{ role: 'user' as const, content: 'Hello!' }];

let upstream: MockUpstream;
beforeEach(() => {
  upstream = new MockUpstream();
});
afterEach(async () => {
  await upstream.agent.close();
});

function provider(
  name: OpenAICompatibleProviderName = 'openai',
  config: ProviderConfigInput = {},
): OpenAIProvider {
  const parsed: ProviderConfig = providerConfigSchema.parse(config);
  return new OpenAIProvider(openAICompatibleProfiles[name], parsed, upstream.agent);
}

describe('OpenAIProvider', () => {
  it('posts the chat request with the key as a bearer token', async () => {
    upstream.reply(openai, '/v1/chat/completions', 200, readOpenAIFixture('chat-completion'));
    const subject = provider('openai', {
      network_config: { extra_headers: { 'OpenAI-Organization': 'org-1' } },
    });
    const answer = await subject.chatCompletion(
      { provider: 'openai', model: 'gpt-4.1', messages, params: { temperature: 0.2, max_tokens: 5 } },
      { key },
    );
    expect(answer).toEqual(readOpenAIFixture('chat-completion'));
    expect(upstream.requests).toEqual([
      {
        origin: openai,
        method: 'POST',
        path: '/v1/chat/completions',
        headers: {
          'content-type': 'application/json',
          'openai-organization': 'org-1',
          authorization: 'Bearer sk-test',
        },
        body: { temperature: 0.2, max_tokens: 5, model: 'gpt-4.1', messages },
      },
    ]);
  });

  it('never lets extra_headers replace the authorization', async () => {
    upstream.reply(openai, '/v1/chat/completions', 200, readOpenAIFixture('chat-completion'));
    const subject = provider('openai', {
      network_config: { extra_headers: { Authorization: 'Bearer stolen' } },
    });
    await subject.chatCompletion({ provider: 'openai', model: 'gpt-4.1', messages }, { key });
    expect(upstream.requests[0]!.headers.authorization).toBe('Bearer sk-test');
  });

  it('sends no authorization header with an empty key', async () => {
    upstream.reply('http://localhost:30000', '/v1/embeddings', 200, readOpenAIFixture('embeddings'));
    await provider('sgl', { network_config: { base_url: 'http://localhost:30000' } }).embedding(
      { provider: 'sgl', model: 'nomic-embed-text', input: ['a', 'b'] },
      { key: { value: '', models: [], weight: 1 } },
    );
    expect(upstream.requests[0]!.headers).toEqual({ 'content-type': 'application/json' });
    expect(upstream.requests[0]!.body).toEqual({ model: 'nomic-embed-text', input: ['a', 'b'] });
  });

  it('sends a text completion prompt', async () => {
    upstream.reply(openai, '/v1/completions', 200, readOpenAIFixture('completion'));
    const answer = await provider().textCompletion(
      {
        provider: 'openai',
        model: 'gpt-3.5-turbo-instruct',
        text: 'Say this is a test',
        params: { max_tokens: 7 },
      },
      { key },
    );
    expect(answer.choices[0]!.text).toBe('\n\nThis is indeed a test');
    expect(upstream.requests[0]!.body).toEqual({
      max_tokens: 7,
      model: 'gpt-3.5-turbo-instruct',
      prompt: 'Say this is a test',
    });
  });

  it('joins a base URL with a path prefix and a version segment', async () => {
    upstream.reply(
      'https://proxy.example.com',
      '/openai/v1/chat/completions',
      200,
      readOpenAIFixture('chat-completion'),
    );
    const subject = provider('openai', {
      network_config: { base_url: 'https://proxy.example.com/openai/v1/' },
    });
    await subject.chatCompletion({ provider: 'openai', model: 'gpt-4.1', messages }, { key });
    expect(upstream.requests[0]!.path).toBe('/openai/v1/chat/completions');
  });

  it('puts a copy of the provider body in raw_response when asked', async () => {
    const body = readOpenAIFixture('chat-completion');
    upstream.reply(openai, '/v1/chat/completions', 200, body);
    const answer = await provider('openai', { send_back_raw_response: true }).chatCompletion(
      { provider: 'openai', model: 'gpt-4.1', messages },
      { key },
    );
    expect(answer.extra_fields?.raw_response).toEqual(body);
    expect(answer.extra_fields?.raw_response).not.toBe(answer);
  });

  it('turns an error status into a provider error with its Retry-After', async () => {
    upstream.reply(openai, '/v1/chat/completions', 429, readOpenAIFixture('error-429-rate-limit'), {
      headers: { 'retry-after': '2' },
    });
    const calling = provider().chatCompletion(
      { provider: 'openai', model: 'gpt-4o-mini', messages },
      { key },
    );
    await expect(calling).rejects.toMatchObject({
      code: 'rate_limited',
      statusCode: 429,
      retryAfterMs: 2000,
    });
  });

  it('refuses a body that is not JSON', async () => {
    upstream.reply(openai, '/v1/chat/completions', 200, '<html>hello</html>');
    const calling = provider().chatCompletion({ provider: 'openai', model: 'gpt-4.1', messages }, { key });
    await expect(calling).rejects.toMatchObject({
      code: 'provider_error',
      statusCode: 502,
      message: 'openai returned a body that is not JSON',
    });
  });

  it('refuses an operation the provider lacks before sending anything, allowing fallbacks', async () => {
    const calling = provider('groq').embedding({ provider: 'groq', model: 'llama', input: 'x' }, { key });
    await expect(calling).rejects.toMatchObject({
      code: 'invalid_request',
      message: 'groq does not support embeddings',
      allowFallbacks: true,
    });
    expect(upstream.requests).toEqual([]);
  });

  it('requires a base URL for a provider with no default', () => {
    expect(() => provider('sgl')).toThrow('sgl has no default base URL: set network_config.base_url');
  });

  it('lists models with a GET', async () => {
    upstream.reply(openai, '/v1/models', 200, readOpenAIFixture('models'), { method: 'GET' });
    const models = await provider().listModels({ key });
    expect(models.map((model) => model.id)).toEqual([
      'openai/model-id-0',
      'openai/model-id-1',
      'openai/model-id-2',
    ]);
    expect(upstream.requests[0]).toMatchObject({ method: 'GET', path: '/v1/models', body: undefined });
  });
});
