import { providerConfigSchema } from '@bifrost/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProviderConfigInput } from '../../testing/memory-account.js';
import { MockUpstream } from '../../testing/mock-upstream.js';
import { readBedrockFixture } from './__fixtures__/read-bedrock-fixture.js';
import { BedrockProvider } from './bedrock-provider.js';

const key = { value: 'ABSK-test-key', models: [], weight: 1 };
const runtime = 'https://bedrock-runtime.ap-southeast-2.amazonaws.com';

let upstream: MockUpstream;
beforeEach(() => {
  upstream = new MockUpstream();
});
afterEach(async () => {
  await upstream.agent.close();
});

function provider(config: ProviderConfigInput = {}): BedrockProvider {
  return new BedrockProvider(
    providerConfigSchema.parse({ meta_config: { region: 'ap-southeast-2' }, ...config }),
    upstream.agent,
  );
}

describe('BedrockProvider', () => {
  it('calls the regional runtime host by default and returns warnings beside the answer', async () => {
    upstream.reply(
      runtime,
      '/model/amazon.nova-pro-v1%3A0/converse',
      200,
      readBedrockFixture('converse-response'),
      {
        headers: { 'x-amzn-requestid': 'f00d' },
      },
    );
    const answer = await provider().chatCompletion(
      {
        provider: 'bedrock',
        model: 'amazon.nova-pro-v1:0',
        messages: [{ role: 'user', content: 'Hi' }],
        params: { seed: 1 },
      },
      { key },
    );
    expect(answer.id).toBe('f00d');
    expect(answer.extra_fields).toEqual({ warnings: ['bedrock ignores seed'] });
    expect(upstream.requests[0]).toMatchObject({
      origin: runtime,
      headers: { authorization: 'Bearer ABSK-test-key', accept: 'application/json' },
    });
  });

  it('lists models from the control-plane host', async () => {
    upstream.reply(
      'https://bedrock.ap-southeast-2.amazonaws.com',
      '/foundation-models',
      200,
      readBedrockFixture('foundation-models'),
      { method: 'GET' },
    );
    const models = await provider().listModels({ key });
    expect(models[0]).toEqual({
      id: 'bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0',
      object: 'model',
      created: 0,
      owned_by: 'bedrock',
    });
  });

  it('returns base64 vectors when asked and attaches the raw body when configured', async () => {
    const titan = readBedrockFixture('titan-embedding');
    upstream.reply(runtime, '/model/amazon.titan-embed-text-v2%3A0/invoke', 200, titan);
    const answer = await provider({ send_back_raw_response: true }).embedding(
      {
        provider: 'bedrock',
        model: 'amazon.titan-embed-text-v2:0',
        input: 'hi',
        params: { encoding_format: 'base64' },
      },
      { key },
    );
    const expected = Buffer.from(Float32Array.from([0.0123, -0.0456, 0.0789, 0.1011]).buffer).toString(
      'base64',
    );
    expect(answer.data).toEqual([{ object: 'embedding', index: 0, embedding: expected }]);
    expect(answer.extra_fields?.raw_response).toEqual(titan);
    expect(upstream.requests[0]!.body).toEqual({ inputText: 'hi' });
  });

  it('refuses embeddings for models that are neither Titan nor Cohere', async () => {
    await expect(
      provider().embedding({ provider: 'bedrock', model: 'amazon.nova-pro-v1:0', input: 'hi' }, { key }),
    ).rejects.toMatchObject({ code: 'invalid_request', allowFallbacks: true });
    expect(upstream.requests).toEqual([]);
  });

  it('rejects a 200 whose body is not a Converse answer', async () => {
    upstream.reply(runtime, '/model/m/converse', 200, { unexpected: true });
    await expect(
      provider().chatCompletion(
        { provider: 'bedrock', model: 'm', messages: [{ role: 'user', content: 'Hi' }] },
        { key },
      ),
    ).rejects.toMatchObject({ code: 'provider_error', statusCode: 502 });
  });

  it('refuses a model or resolved ARN with dot segments before signing anything', async () => {
    const chat = (model: string, config: ProviderConfigInput = {}) =>
      provider(config).chatCompletion(
        { provider: 'bedrock', model, messages: [{ role: 'user', content: 'Hi' }] },
        { key },
      );
    await expect(chat('..')).rejects.toMatchObject({
      code: 'invalid_request',
      statusCode: 400,
      param: 'model',
    });
    await expect(
      chat('x', {
        meta_config: { region: 'ap-southeast-2', inference_profiles: { x: 'arn:aws:bedrock:a/../b' } },
      }),
    ).rejects.toMatchObject({ param: 'model', model: 'x' });
    expect(upstream.requests).toEqual([]);
  });

  it('sends an inference-profile ARN as one encoded segment', async () => {
    const arn = 'arn:aws:bedrock:ap-southeast-2:123456789012:inference-profile/apac.amazon.nova-pro-v1:0';
    const path =
      '/model/arn%3Aaws%3Abedrock%3Aap-southeast-2%3A123456789012%3Ainference-profile%2Fapac.amazon.nova-pro-v1%3A0/converse';
    upstream.reply(runtime, path, 200, readBedrockFixture('converse-response'));
    await provider({
      meta_config: { region: 'ap-southeast-2', inference_profiles: { nova: arn } },
    }).chatCompletion(
      { provider: 'bedrock', model: 'nova', messages: [{ role: 'user', content: 'Hi' }] },
      { key },
    );
    expect(upstream.requests.map((request) => request.path)).toEqual([path]);
  });
});
