import { readFileSync } from 'node:fs';
import { providerConfigSchema } from '@bifrost/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProviderConfigInput } from '../../testing/memory-account.js';
import { MockUpstream } from '../../testing/mock-upstream.js';
import { readAnthropicFixture } from '../anthropic/__fixtures__/anthropic-fixtures.js';
import { readGeminiFixture } from '../gemini/__fixtures__/read-gemini-fixture.js';
import { VertexProvider } from './vertex-provider.js';

const regional = 'https://us-east5-aiplatform.googleapis.com';
const prefix = '/v1/projects/my-project/locations/us-east5/publishers';
const key = { value: 'ya29.ready-token', models: [], weight: 1 };
const messages = [{ role: 'user' as const, content: 'Hello' }];

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`./__fixtures__/${name}.json`, import.meta.url), 'utf8'));
}

let upstream: MockUpstream;
beforeEach(() => {
  upstream = new MockUpstream();
});
afterEach(async () => {
  await upstream.agent.close();
});

function provider(config: ProviderConfigInput = {}): VertexProvider {
  return new VertexProvider(
    providerConfigSchema.parse({ meta_config: { project_id: 'my-project', region: 'us-east5' }, ...config }),
    upstream.agent,
    { now: () => 1_750_000_000_000 },
  );
}

describe('VertexProvider', () => {
  it('calls generateContent on the regional endpoint with the key as a bearer token when no credentials are set', async () => {
    upstream.reply(
      regional,
      `${prefix}/google/models/gemini-2.5-flash:generateContent`,
      200,
      readGeminiFixture('generate-content'),
    );
    const subject = provider();
    expect(subject.requiresKey).toBe(true);
    const answer = await subject.chatCompletion(
      { provider: 'vertex', model: 'gemini-2.5-flash', messages, params: { user: 'u-1' } },
      { key },
    );
    expect(answer.choices[0]!.finish_reason).toBe('stop');
    expect(answer.extra_fields).toEqual({ warnings: ['vertex ignores user'] });
    expect(upstream.requests).toEqual([
      {
        origin: regional,
        method: 'POST',
        path: `${prefix}/google/models/gemini-2.5-flash:generateContent`,
        headers: { 'content-type': 'application/json', authorization: 'Bearer ya29.ready-token' },
        body: { contents: [{ role: 'user', parts: [{ text: 'Hello' }] }] },
      },
    ]);
  });

  it('uses the global origin for region global', async () => {
    const path =
      '/v1/projects/my-project/locations/global/publishers/google/models/gemini-2.5-flash:generateContent';
    upstream.reply('https://aiplatform.googleapis.com', path, 200, readGeminiFixture('generate-content'));
    await provider({ meta_config: { project_id: 'my-project', region: 'global' } }).chatCompletion(
      { provider: 'vertex', model: 'gemini-2.5-flash', messages },
      { key },
    );
    expect(upstream.requests[0]!.path).toBe(path);
  });

  it('sends Claude models to rawPredict with the Messages body, no model, and the Vertex anthropic_version', async () => {
    upstream.reply(
      regional,
      `${prefix}/anthropic/models/claude-sonnet-4-5:rawPredict`,
      200,
      readAnthropicFixture('message'),
    );
    const answer = await provider().chatCompletion(
      {
        provider: 'vertex',
        model: 'claude-sonnet-4-5',
        messages,
        params: { max_tokens: 256, anthropic_beta: 'context-1m-2025-08-07' },
      },
      { key },
    );
    expect(answer.choices[0]!.message.content).toBe('Hi! My name is Claude.');
    expect(upstream.requests[0]!.headers.authorization).toBe('Bearer ya29.ready-token');
    expect(upstream.requests[0]!.body).toEqual({
      anthropic_version: 'vertex-2023-10-16',
      messages: [{ role: 'user', content: 'Hello' }],
      max_tokens: 256,
      anthropic_beta: ['context-1m-2025-08-07'],
    });
    expect(upstream.requests[0]!.headers['anthropic-beta']).toBeUndefined();
  });

  it('reads an Anthropic error body from a Claude model and a Google one from Vertex itself', async () => {
    upstream.reply(
      regional,
      `${prefix}/anthropic/models/claude-sonnet-4-5:rawPredict`,
      429,
      readAnthropicFixture('error-429-rate-limit'),
    );
    upstream.reply(
      regional,
      `${prefix}/google/models/gemini-2.5-flash:generateContent`,
      429,
      fixture('error-429-resource-exhausted'),
    );
    await expect(
      provider().chatCompletion({ provider: 'vertex', model: 'claude-sonnet-4-5', messages }, { key }),
    ).rejects.toMatchObject({ statusCode: 429, upstreamType: 'rate_limit_error' });
    await expect(
      provider().chatCompletion({ provider: 'vertex', model: 'gemini-2.5-flash', messages }, { key }),
    ).rejects.toMatchObject({ statusCode: 429, upstreamType: 'RESOURCE_EXHAUSTED' });
  });

  it('embeds through predict with instances and outputDimensionality, counting tokens', async () => {
    upstream.reply(
      regional,
      `${prefix}/google/models/text-embedding-005:predict`,
      200,
      fixture('predict-embeddings'),
    );
    const answer = await provider().embedding(
      {
        provider: 'vertex',
        model: 'text-embedding-005',
        input: ['What is life?', 'Hi'],
        params: { dimensions: 4 },
      },
      { key },
    );
    expect(upstream.requests[0]!.body).toEqual({
      instances: [{ content: 'What is life?' }, { content: 'Hi' }],
      parameters: { outputDimensionality: 4 },
    });
    expect(answer).toEqual({
      object: 'list',
      model: 'text-embedding-005',
      data: [
        { object: 'embedding', index: 0, embedding: [0.0102, -0.0409, -0.0143, 0.0375] },
        { object: 'embedding', index: 1, embedding: [-0.0195, 0.0031, 0.0287, -0.0062] },
      ],
      usage: { prompt_tokens: 10, total_tokens: 10 },
    });
  });

  it('joins a base URL override ending in /v1 without doubling it', async () => {
    upstream.reply(
      'http://127.0.0.1:8080',
      `${prefix}/google/models/gemini-2.5-flash:generateContent`,
      200,
      readGeminiFixture('generate-content'),
    );
    await provider({
      meta_config: { project_id: 'my-project', region: 'us-east5' },
      network_config: { base_url: 'http://127.0.0.1:8080/v1' },
    }).chatCompletion({ provider: 'vertex', model: 'gemini-2.5-flash', messages }, { key });
    expect(upstream.requests[0]!.path).toBe(`${prefix}/google/models/gemini-2.5-flash:generateContent`);
  });

  it('needs a project and refuses operations it lacks, allowing fallbacks', async () => {
    expect(() => new VertexProvider(providerConfigSchema.parse({}), upstream.agent)).toThrow(
      'vertex needs meta_config.project_id',
    );
    await expect(provider().listModels()).rejects.toMatchObject({
      code: 'invalid_request',
      allowFallbacks: true,
    });
    await expect(
      provider().textCompletion({ provider: 'vertex', model: 'gemini-2.5-flash', text: 'x' }),
    ).rejects.toMatchObject({
      message: 'vertex does not support text completions',
    });
  });

  it('needs no key when service-account credentials are set', () => {
    const credentials = JSON.stringify({
      type: 'service_account',
      client_email: 'a@b.iam.gserviceaccount.com',
      private_key: 'k',
    });
    const subject = provider({ meta_config: { project_id: 'my-project', auth_credentials: credentials } });
    expect(subject.requiresKey).toBe(false);
  });

  it('refuses a model with dot segments, Gemini or Claude, before anything is sent', async () => {
    for (const model of ['../../../locations/x/endpoints/y', 'claude/../../../google/models/gemini']) {
      await expect(
        provider().chatCompletion({ provider: 'vertex', model, messages }, { key }),
      ).rejects.toMatchObject({ code: 'invalid_request', statusCode: 400, param: 'model' });
    }
    await expect(
      provider().embedding({ provider: 'vertex', model: '..', input: 'x' }, { key }),
    ).rejects.toMatchObject({ param: 'model' });
    expect(upstream.requests).toEqual([]);
  });

  it('sends the model as one encoded segment, keeping the @ of a versioned Claude model', async () => {
    const claude = `${prefix}/anthropic/models/claude-sonnet-4-5@20250929%3Fx%2Fy:rawPredict`;
    upstream.reply(regional, claude, 200, readAnthropicFixture('message'));
    await provider().chatCompletion(
      { provider: 'vertex', model: 'claude-sonnet-4-5@20250929?x/y', messages, params: { max_tokens: 8 } },
      { key },
    );
    const gemini = `${prefix}/google/models/gemini%23x:generateContent`;
    upstream.reply(regional, gemini, 200, readGeminiFixture('generate-content'));
    await provider().chatCompletion({ provider: 'vertex', model: 'gemini#x', messages }, { key });
    expect(upstream.requests.map((request) => request.path)).toEqual([claude, gemini]);
  });
});
