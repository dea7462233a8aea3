import { providerConfigSchema } from '@bifrost/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProviderConfigInput } from '../../testing/memory-account.js';
import { MockUpstream } from '../../testing/mock-upstream.js';
import { rejection } from '../../testing/rejection.js';
import { readCohereFixture } from './__fixtures__/read-cohere-fixture.js';
import { CohereProvider } from './cohere-provider.js';

const cohere = 'https://api.cohere.com';
const key = { value: 'co-test-key-123', models: [], weight: 1 };
const messages = [{ role: 'user' as const, content: 'Tell me about LLMs' }];

let upstream: MockUpstream;
beforeEach(() => {
  upstream = new MockUpstream();
});
afterEach(async () => {
  await upstream.agent.close();
});

function provider(config: ProviderConfigInput = {}): CohereProvider {
  return new CohereProvider(providerConfigSchema.parse(config), upstream.agent, { now: () => 1700000000000 });
}

describe('CohereProvider', () => {
  it('posts to /v2/chat with the key as a bearer token and passes warnings on', async () => {
    upstream.reply(cohere, '/v2/chat', 200, readCohereFixture('chat-response'));
    const answer = await provider().chatCompletion(
      { provider: 'cohere', model: 'command-a-03-2025', messages, params: { temperature: 0.3, user: 'u-1' } },
      { key },
    );
    expect(upstream.requests).toEqual([
      {
        origin: cohere,
        method: 'POST',
        path: '/v2/chat',
        headers: { 'content-type': 'application/json', authorization: 'Bearer co-test-key-123' },
        body: { model: 'command-a-03-2025', messages, temperature: 0.3 },
      },
    ]);
    expect(answer.created).toBe(1700000000);
    expect(answer.extra_fields).toEqual({ warnings: ['cohere ignores user'] });
  });

  it('does not double the version segment of a base URL ending in /v2 or /v1', async () => {
    upstream.reply(cohere, '/v2/embed', 200, readCohereFixture('embed-response'));
    upstream.reply(cohere, '/v1/models', 200, readCohereFixture('models'), { method: 'GET' });
    await provider({ network_config: { base_url: `${cohere}/v2` } }).embedding(
      { provider: 'cohere', model: 'embed-v4.0', input: 'hello' },
      { key },
    );
    await provider({ network_config: { base_url: `${cohere}/v1/` } }).listModels({ key });
    expect(upstream.requests.map((request) => request.path)).toEqual(['/v2/embed', '/v1/models']);
  });

  it('embeds texts as search documents in float and reads the vectors back in order', async () => {
    upstream.reply(cohere, '/v2/embed', 200, readCohereFixture('embed-response'));
    const answer = await provider().embedding(
      { provider: 'cohere', model: 'embed-v4.0', input: ['hello', 'goodbye'], params: { dimensions: 256 } },
      { key },
    );
    expect(upstream.requests[0]?.body).toEqual({
      model: 'embed-v4.0',
      texts: ['hello', 'goodbye'],
      input_type: 'search_document',
      embedding_types: ['float'],
      output_dimension: 256,
    });
    expect(answer).toEqual({
      object: 'list',
      data: [
        { object: 'embedding', index: 0, embedding: [0.016296387, -0.008354187, -0.04699707, -0.07104492] },
        {
          object: 'embedding',
          index: 1,
          embedding: [-0.0046920776, 0.0134887695, -0.02027893, -0.033996582],
        },
      ],
      model: 'embed-v4.0',
      usage: { prompt_tokens: 2, total_tokens: 2 },
    });
  });

  it('lists models with the provider prefix', async () => {
    upstream.reply(cohere, '/v1/models', 200, readCohereFixture('models'), { method: 'GET' });
    expect(await provider().listModels({ key })).toEqual([
      { id: 'cohere/command-a-03-2025', object: 'model', created: 0, owned_by: 'cohere' },
      { id: 'cohere/embed-v4.0', object: 'model', created: 0, owned_by: 'cohere' },
    ]);
  });

  it("keeps Cohere's status, message and retry-after on an error", async () => {
    upstream.reply(cohere, '/v2/chat', 429, readCohereFixture('error-429'), {
      headers: { 'retry-after': '7' },
    });
    const error = await rejection(
      provider().chatCompletion({ provider: 'cohere', model: 'command-a-03-2025', messages }, { key }),
    );
    expect(error).toMatchObject({
      code: 'rate_limited',
      statusCode: 429,
      provider: 'cohere',
      retryAfterMs: 7000,
      message: expect.stringContaining('You are using a Trial key'),
    });
  });

  it('refuses text completions before sending anything', async () => {
    const error = await rejection(
      provider().textCompletion({ provider: 'cohere', model: 'command-a-03-2025', text: 'Hi' }),
    );
    expect(error).toMatchObject({
      code: 'invalid_request',
      message: 'cohere does not support text completions',
    });
    expect(upstream.requests).toEqual([]);
  });
});
