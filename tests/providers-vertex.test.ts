import { createVerify, generateKeyPairSync } from 'node:crypto';
import { Bifrost, type GatewayError } from '@bifrost/core';
import { type Account, type ChatStreamChunk, providerConfigSchema } from '@bifrost/schemas';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type GoogleUpstream,
  readGeminiFixture,
  startGeminiUpstream,
  vectorFor,
} from './support/gemini-upstream.js';
import {
  decodeJwt,
  type GoogleTokenEndpoint,
  readVertexFixture,
  startGoogleTokenEndpoint,
  tokenForm,
} from './support/vertex-upstream.js';

const clientEmail = 'bifrost-gateway@test-project.iam.gserviceaccount.com';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const serviceAccount = {
  type: 'service_account',
  project_id: 'test-project',
  private_key_id: 'b7e5f0c4d2a1',
  private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  client_email: clientEmail,
  client_id: '104893927452016584313',
  auth_uri: 'https://accounts.google.com/o/oauth2/auth',
  token_uri: 'https://oauth2.googleapis.com/token',
};
const publishers = '/v1/projects/test-project/locations/us-central1/publishers';

let fake: GoogleUpstream;
let tokens: GoogleTokenEndpoint;
const acceptedTokens: string[] = ['ya29.ready-made-token'];
const engines: Bifrost[] = [];

beforeAll(async () => {
  fake = await startGeminiUpstream({ accessTokens: acceptedTokens });
  tokens = await startGoogleTokenEndpoint({
    publicKey,
    clientEmail,
    onIssue: (token) => acceptedTokens.push(token),
  });
});
afterAll(async () => {
  await Promise.all(engines.map((engine) => engine.shutdown()));
  await Promise.all([fake.close(), tokens.close()]);
});
beforeEach(() => {
  fake.reset();
  tokens.reset();
});

/** `credentials: null` configures no service account, so the key's value is the bearer token. */
async function engine(
  options: { credentials?: object | null; keys?: { value: string }[] } = {},
): Promise<Bifrost> {
  const { credentials = serviceAccount, keys = [] } = options;
  const parsed = providerConfigSchema.parse({
    keys,
    network_config: { base_url: fake.url, max_retries: 0 },
    meta_config: {
      project_id: 'test-project',
      region: 'us-central1',
      ...(credentials ? { auth_credentials: JSON.stringify(credentials), token_url: tokens.url } : {}),
    },
  });
  const account: Account = {
    getConfiguredProviders: () => ['vertex'],
    getKeysForProvider: () => parsed.keys,
    getConfigForProvider: () => parsed,
  };
  const bifrost = await Bifrost.init({ account });
  engines.push(bifrost);
  return bifrost;
}

async function collect(stream: AsyncIterable<ChatStreamChunk>): Promise<ChatStreamChunk[]> {
  const chunks: ChatStreamChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

function failure(promise: Promise<unknown>): Promise<GatewayError> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: GatewayError) => error,
  );
}

describe('vertex provider through the engine', () => {
  it('exchanges a signed service-account assertion for a token and calls Gemini on Vertex with it', async () => {
    const bifrost = await engine();
    const answer = await bifrost.chatCompletion({
      provider: 'vertex',
      model: 'gemini-2.5-flash',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'How does AI work?' },
      ],
      params: { max_completion_tokens: 100 },
    });

    expect(tokens.requests).toHaveLength(1);
    const grant = tokenForm(tokens.requests[0]!);
    expect(tokens.requests[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(grant.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const jwt = decodeJwt(grant.get('assertion')!);
    expect(jwt.header).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'b7e5f0c4d2a1' });
    expect(jwt.claims).toEqual({
      iss: clientEmail,
      scope: 'https://www.googleapis.com/auth/cloud-platform',
      aud: tokens.url,
      iat: expect.any(Number),
      exp: (jwt.claims.iat as number) + 3600,
    });
    expect(
      createVerify('RSA-SHA256').update(jwt.signingInput).verify(publicKey, jwt.signature, 'base64url'),
    ).toBe(true);

    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request!.method).toBe('POST');
    expect(request!.path).toBe(`${publishers}/google/models/gemini-2.5-flash:generateContent`);
    expect(request!.headers.authorization).toBe(`Bearer ${tokens.issued[0]}`);
    expect(request!.headers['x-goog-api-key']).toBeUndefined();
    expect(request!.body).toEqual({
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      contents: [{ role: 'user', parts: [{ text: 'How does AI work?' }] }],
      generationConfig: { maxOutputTokens: 100 },
    });
    expect(answer).toMatchObject({
      object: 'chat.completion',
      choices: [
        {
          index: 0,
          finish_reason: 'stop',
          message: { role: 'assistant', content: expect.stringContaining('AI learns') },
        },
      ],
      usage: { prompt_tokens: 8, completion_tokens: 15, total_tokens: 23 },
      extra_fields: { provider: 'vertex', model: 'gemini-2.5-flash' },
    });
  });

  it('fetches one token for several calls', async () => {
    const bifrost = await engine();
    const request = {
      provider: 'vertex' as const,
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user' as const, content: 'hi' }],
    };
    await Promise.all([bifrost.chatCompletion(request), bifrost.chatCompletion(request)]);
    await bifrost.chatCompletion(request);
    await collect(await bifrost.chatCompletionStream(request));
    expect(tokens.requests).toHaveLength(1);
    expect(fake.requests.map((entry) => entry.headers.authorization)).toEqual(
      Array(4).fill(`Bearer ${tokens.issued[0]}`),
    );
  });

  it('streams Gemini on Vertex as OpenAI chunks', async () => {
    const bifrost = await engine();
    const chunks = await collect(
      await bifrost.chatCompletionStream({
        provider: 'vertex',
        model: 'gemini-2.5-flash',
        messages: [{ role: 'user', content: 'A story' }],
      }),
    );
    expect(fake.requests[0]!.path).toBe(`${publishers}/google/models/gemini-2.5-flash:streamGenerateContent`);
    expect(fake.requests[0]!.query.get('alt')).toBe('sse');
    expect(chunks.map((chunk) => chunk.choices)).toEqual([
      [{ index: 0, delta: { role: 'assistant', content: 'Once upon a time' }, finish_reason: null }],
      [{ index: 0, delta: { content: ', in a land far away, a backpack sang.' }, finish_reason: null }],
      [{ index: 0, delta: { content: ' The end.' }, finish_reason: null }],
      [{ index: 0, delta: {}, finish_reason: 'stop' }],
    ]);
    expect(chunks.at(-1)!.usage).toEqual({ prompt_tokens: 5, completion_tokens: 17, total_tokens: 22 });
  });

  it('sends Claude models to rawPredict with the Vertex anthropic_version and no model in the body', async () => {
    const bifrost = await engine();
    const answer = await bifrost.chatCompletion({
      provider: 'vertex',
      model: 'claude-sonnet-4-5',
      messages: [
        { role: 'system', content: 'You are a helpful assistant.' },
        { role: 'user', content: 'Hello, Claude' },
      ],
      params: { max_tokens: 1024, temperature: 0.5 },
    });
    const [request] = fake.requests;
    expect(request!.path).toBe(`${publishers}/anthropic/models/claude-sonnet-4-5:rawPredict`);
    expect(request!.headers.authorization).toBe(`Bearer ${tokens.issued[0]}`);
    expect(request!.headers['anthropic-version']).toBeUndefined();
    expect(request!.body).toEqual({
      anthropic_version: 'vertex-2023-10-16',
      system: 'You are a helpful assistant.',
      messages: [{ role: 'user', content: 'Hello, Claude' }],
      max_tokens: 1024,
      temperature: 0.5,
    });
    expect(answer).toMatchObject({
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hi! My name is Claude.' },
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 2095, completion_tokens: 503, total_tokens: 2598 },
      extra_fields: { provider: 'vertex', model: 'claude-sonnet-4-5' },
    });
  });

  it('streams Claude on Vertex through streamRawPredict', async () => {
    const bifrost = await engine();
    const chunks = await collect(
      await bifrost.chatCompletionStream({
        provider: 'vertex',
        model: 'claude-sonnet-4-5',
        messages: [{ role: 'user', content: 'Hello' }],
        params: { max_tokens: 256 },
      }),
    );
    expect(fake.requests[0]!.path).toBe(`${publishers}/anthropic/models/claude-sonnet-4-5:streamRawPredict`);
    expect(fake.requests[0]!.body).toEqual({
      anthropic_version: 'vertex-2023-10-16',
      messages: [{ role: 'user', content: 'Hello' }],
      max_tokens: 256,
      stream: true,
    });
    const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe('Hello!');
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('stop');
    expect(chunks.at(-1)!.usage).toMatchObject({ prompt_tokens: 25, completion_tokens: 15 });
  });

  it('embeds through predict', async () => {
    const bifrost = await engine();
    const answer = await bifrost.embedding({
      provider: 'vertex',
      model: 'text-embedding-005',
      input: ['a', 'b'],
    });
    expect(fake.requests[0]!.path).toBe(`${publishers}/google/models/text-embedding-005:predict`);
    expect(fake.requests[0]!.body).toEqual({ instances: [{ content: 'a' }, { content: 'b' }] });
    expect(answer.data.map((entry) => entry.embedding)).toEqual([vectorFor(0), vectorFor(1)]);
    expect(answer.usage).toEqual({ prompt_tokens: 8, total_tokens: 8 });
  });

  it('keeps status, Google status and Retry-After of a Vertex error', async () => {
    fake.enqueue({
      kind: 'json',
      status: 429,
      body: readVertexFixture('error-429-resource-exhausted'),
      headers: { 'retry-after': '4' },
    });
    const bifrost = await engine();
    const error = await failure(
      bifrost.chatCompletion({
        provider: 'vertex',
        model: 'gemini-2.5-flash',
        messages: [{ role: 'user', content: 'hi' }],
      }),
    );
    expect(error).toMatchObject({
      code: 'rate_limited',
      statusCode: 429,
      upstreamType: 'RESOURCE_EXHAUSTED',
      retryAfterMs: 4000,
      message: expect.stringContaining('Resource exhausted'),
    });
  });

  it('fails with a 401 naming the OAuth error when the token endpoint refuses the assertion', async () => {
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const forged = {
      ...serviceAccount,
      private_key: otherKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    };
    const bifrost = await engine({ credentials: forged });
    const error = await failure(
      bifrost.chatCompletion({
        provider: 'vertex',
        model: 'gemini-2.5-flash',
        messages: [{ role: 'user', content: 'hi' }],
      }),
    );
    expect(error).toMatchObject({ code: 'authentication_failed', statusCode: 401 });
    expect(error.message).toBe(
      `vertex could not get an access token: the token endpoint refused the service account ${clientEmail}: invalid_grant (Invalid JWT Signature.)`,
    );
    expect(fake.requests).toEqual([]);
  });

  it('uses the key as a ready bearer token when no credentials are set, and passes on Vertex rejecting it', async () => {
    const ready = await engine({ credentials: null, keys: [{ value: 'ya29.ready-made-token' }] });
    await ready.chatCompletion({
      provider: 'vertex',
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(fake.requests[0]!.headers.authorization).toBe('Bearer ya29.ready-made-token');
    expect(tokens.requests).toEqual([]);

    const stale = await engine({ credentials: null, keys: [{ value: 'ya29.expired-token' }] });
    const error = await failure(
      stale.chatCompletion({
        provider: 'vertex',
        model: 'gemini-2.5-flash',
        messages: [{ role: 'user', content: 'hi' }],
      }),
    );
    expect(error).toMatchObject({ statusCode: 401, upstreamType: 'UNAUTHENTICATED' });
  });

  it('round-trips a Gemini tool call on Vertex', async () => {
    fake.enqueue({ kind: 'json', body: readGeminiFixture('generate-content-function-call') });
    const bifrost = await engine();
    const question = { role: 'user' as const, content: 'Temperature in London?' };
    const first = await bifrost.chatCompletion({
      provider: 'vertex',
      model: 'gemini-2.5-flash',
      messages: [question],
    });
    await bifrost.chatCompletion({
      provider: 'vertex',
      model: 'gemini-2.5-flash',
      messages: [
        question,
        first.choices[0]!.message,
        { role: 'tool', tool_call_id: 'call_0', content: 'mild, 14 C' },
      ],
    });
    expect(fake.requests[1]!.body).toEqual({
      contents: [
        { role: 'user', parts: [{ text: 'Temperature in London?' }] },
        {
          role: 'model',
          parts: [
            {
              functionCall: { name: 'get_current_temperature', args: { location: 'London' } },
              thoughtSignature: 'CiQB0e2Kb7x1U2lnbmF0dXJlRm9yVGhlQ2FsbA==',
            },
          ],
        },
        {
          role: 'user',
          parts: [
            { functionResponse: { name: 'get_current_temperature', response: { content: 'mild, 14 C' } } },
          ],
        },
      ],
    });
  });
});
