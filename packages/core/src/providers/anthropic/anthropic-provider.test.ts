import { type ProviderConfig, providerConfigSchema } from '@bifrost/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProviderConfigInput } from '../../testing/memory-account.js';
import { MockUpstream } from '../../testing/mock-upstream.js';
import { readAnthropicFixture, readAnthropicStreamFixture } from './__fixtures__/anthropic-fixtures.js';
import { AnthropicProvider } from './anthropic-provider.js';

const anthropic = 'https://api.anthropic.com';
const key = { value: 'sk-ant-test', models: [], weight: 1 };
const messages = [{ role: 'user' as const, content: 'Hello, Claude' }];
const model = 'claude-sonnet-4-5';

let upstream: MockUpstream;
beforeEach(() => {
  upstream = new MockUpstream();
});
afterEach(async () => {
  await upstream.agent.close();
});

function provider(config: ProviderConfigInput = {}): AnthropicProvider {
  const parsed: ProviderConfig = providerConfigSchema.parse(config);
  return new AnthropicProvider(parsed, upstream.agent);
}

describe('AnthropicProvider', () => {
  it('posts to /v1/messages with the key, the version and the extra headers', async () => {
    upstream.reply(anthropic, '/v1/messages', 200, readAnthropicFixture('message'));
    const subject = provider({
      network_config: { extra_headers: { 'anthropic-beta': 'files-api-2025-04-14', 'x-api-key': 'stolen' } },
    });
    const answer = await subject.chatCompletion(
      { provider: 'anthropic', model, messages, params: { max_tokens: 1024, logit_bias: { '1': 1 } } },
      { key },
    );
    expect(answer.choices[0]!.message.content).toBe('Hi! My name is Claude.');
    expect(answer.extra_fields).toEqual({ warnings: ['anthropic ignores logit_bias'] });
    expect(upstream.requests).toEqual([
      {
        origin: anthropic,
        method: 'POST',
        path: '/v1/messages',
        headers: {
          'content-type': 'application/json',
          'anthropic-version': '2023-06-01',
          'anthropic-beta': 'files-api-2025-04-14',
          'x-api-key': 'sk-ant-test',
        },
        body: { model, max_tokens: 1024, messages },
      },
    ]);
  });

  it('accepts a base URL ending in the version segment without doubling it', async () => {
    upstream.reply(
      'https://gateway.example.com',
      '/anthropic/v1/messages',
      200,
      readAnthropicFixture('message'),
    );
    await provider({
      network_config: { base_url: 'https://gateway.example.com/anthropic/v1' },
    }).chatCompletion({ provider: 'anthropic', model, messages }, { key });
    expect(upstream.requests[0]!.path).toBe('/anthropic/v1/messages');
  });

  it('sends anthropic_beta from the parameters as the anthropic-beta header', async () => {
    upstream.reply(anthropic, '/v1/messages', 200, readAnthropicFixture('message'));
    await provider().chatCompletion(
      {
        provider: 'anthropic',
        model,
        messages,
        params: { anthropic_beta: ['a-2025-01-01', 'b-2025-02-02'] },
      },
      { key },
    );
    expect(upstream.requests[0]!.headers['anthropic-beta']).toBe('a-2025-01-01,b-2025-02-02');
    expect(upstream.requests[0]!.body).toEqual({ model, max_tokens: 4096, messages });
  });

  it('keeps the raw body when configured to', async () => {
    upstream.reply(anthropic, '/v1/messages', 200, readAnthropicFixture('message'));
    const answer = await provider({ send_back_raw_response: true }).chatCompletion(
      { provider: 'anthropic', model, messages },
      { key },
    );
    expect(answer.extra_fields?.raw_response).toEqual(readAnthropicFixture('message'));
  });

  it('streams with stream: true in the body', async () => {
    upstream.replyRawStream(anthropic, '/v1/messages', readAnthropicStreamFixture('stream-text'));
    const stream = await provider().chatCompletionStream({ provider: 'anthropic', model, messages }, { key });
    const contents: unknown[] = [];
    for await (const chunk of stream) contents.push(chunk.choices[0]!.delta.content);
    expect(contents).toEqual(['', 'Hello', '!', undefined]);
    expect(upstream.requests[0]!.body).toEqual({ model, max_tokens: 4096, messages, stream: true });
  });

  it('rejects a streaming request the upstream refuses with its error', async () => {
    upstream.reply(anthropic, '/v1/messages', 529, readAnthropicFixture('error-529-overloaded'));
    await expect(
      provider().chatCompletionStream({ provider: 'anthropic', model, messages }, { key }),
    ).rejects.toMatchObject({ code: 'provider_unavailable', statusCode: 529, retryable: true });
  });

  it('refuses embeddings and text completions before sending, allowing fallbacks', async () => {
    const subject = provider();
    await expect(
      subject.embedding({ provider: 'anthropic', model, input: 'x' }, { key }),
    ).rejects.toMatchObject({
      code: 'invalid_request',
      message: 'anthropic does not support embeddings',
      allowFallbacks: true,
    });
    await expect(
      subject.textCompletion({ provider: 'anthropic', model, text: 'x' }, { key }),
    ).rejects.toMatchObject({
      code: 'invalid_request',
      message: 'anthropic does not support text completions',
      allowFallbacks: true,
    });
    expect(upstream.requests).toEqual([]);
  });

  it('lists models across pages', async () => {
    const first = { ...readAnthropicFixture<Record<string, unknown>>('models'), has_more: true };
    const second = {
      data: [
        {
          type: 'model',
          id: 'claude-3-haiku-20240307',
          display_name: 'Claude Haiku 3',
          created_at: '2024-03-07T00:00:00Z',
        },
      ],
      has_more: false,
      first_id: 'claude-3-haiku-20240307',
      last_id: 'claude-3-haiku-20240307',
    };
    upstream.reply(anthropic, '/v1/models?limit=1000', 200, first, { method: 'GET' });
    upstream.reply(anthropic, '/v1/models?limit=1000&after_id=claude-3-5-haiku-20241022', 200, second, {
      method: 'GET',
    });
    expect(await provider().listModels({ key })).toEqual([
      {
        id: 'anthropic/claude-sonnet-4-5-20250929',
        object: 'model',
        created: 1759104000,
        owned_by: 'anthropic',
      },
      {
        id: 'anthropic/claude-3-5-haiku-20241022',
        object: 'model',
        created: 1729555200,
        owned_by: 'anthropic',
      },
      {
        id: 'anthropic/claude-3-haiku-20240307',
        object: 'model',
        created: 1709769600,
        owned_by: 'anthropic',
      },
    ]);
    expect(upstream.requests.map((request) => [request.method, request.headers['x-api-key']])).toEqual([
      ['GET', 'sk-ant-test'],
      ['GET', 'sk-ant-test'],
    ]);
  });
});
