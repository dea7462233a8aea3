import { Bifrost, type GatewayError } from '@bifrost/core';
import { type Account, type ChatMessage, type ChatStreamChunk, providerConfigSchema } from '@bifrost/schemas';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AzureUpstream, readAzureFixture, startAzureUpstream } from './support/azure-upstream.js';

const apiKey = 'azure-key-0123456789';
const deployments = { 'gpt-4o': 'gpt-4o-deploy', 'text-embedding-3-small': 'embed-deploy' };

let fake: AzureUpstream;
const engines: Bifrost[] = [];

beforeAll(async () => {
  fake = await startAzureUpstream({
    apiKeys: [apiKey],
    deployments: ['gpt-4o-deploy', 'embed-deploy', 'gpt-4o-mini', 'gpt-35-turbo-instruct'],
    entraClients: { 'client-app-id': 'client-secret-value-123' },
  });
});
afterAll(async () => {
  await Promise.all(engines.map((engine) => engine.shutdown()));
  await fake.close();
});
beforeEach(() => fake.reset());

async function engine(config: Record<string, unknown>): Promise<Bifrost> {
  const parsed = providerConfigSchema.parse(config);
  const account: Account = {
    getConfiguredProviders: () => ['azure'],
    getKeysForProvider: () => parsed.keys,
    getConfigForProvider: () => parsed,
  };
  const bifrost = await Bifrost.init({ account });
  engines.push(bifrost);
  return bifrost;
}

function keyEngine(meta: Record<string, unknown> = {}): Promise<Bifrost> {
  return engine({
    keys: [{ value: apiKey }],
    meta_config: { endpoint: fake.url, api_version: '2024-10-21', deployments, ...meta },
  });
}

const question: ChatMessage[] = [{ role: 'user', content: 'Hello!' }];

async function collect(stream: AsyncIterable<ChatStreamChunk>): Promise<ChatStreamChunk[]> {
  const chunks: ChatStreamChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

function withoutExtraFields(chunks: ChatStreamChunk[]): unknown[] {
  return chunks.map(({ extra_fields: _extraFields, ...rest }) => rest);
}

describe('azure chat', () => {
  it('posts OpenAI’s body to the deployment with api-version and api-key', async () => {
    const bifrost = await keyEngine();
    const answer = await bifrost.chatCompletion({
      provider: 'azure',
      model: 'gpt-4o',
      messages: question,
      params: { temperature: 0.2, max_tokens: 50 },
    });

    const [request] = fake.dataRequests();
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/openai/deployments/gpt-4o-deploy/chat/completions');
    expect(Object.fromEntries(request!.query)).toEqual({ 'api-version': '2024-10-21' });
    expect(request?.headers['api-key']).toBe(apiKey);
    expect(request?.headers.authorization).toBeUndefined();
    expect(request?.body).toEqual({ temperature: 0.2, max_tokens: 50, model: 'gpt-4o', messages: question });

    const { extra_fields, ...completion } = answer;
    expect(completion).toEqual(readAzureFixture('chat-completion'));
    expect(extra_fields).toMatchObject({ provider: 'azure', model: 'gpt-4o' });
  });

  it('uses the model name as the deployment when no deployments are configured', async () => {
    const bifrost = await engine({ keys: [{ value: apiKey }], meta_config: { endpoint: fake.url } });
    await bifrost.chatCompletion({ provider: 'azure', model: 'gpt-4o-mini', messages: question });
    const [request] = fake.dataRequests();
    expect(request?.path).toBe('/openai/deployments/gpt-4o-mini/chat/completions');
    expect(request?.query.get('api-version')).toBe('2024-10-21');
  });

  it('accepts the endpoint as network_config.base_url, with or without /openai', async () => {
    for (const baseUrl of [fake.url, `${fake.url}/openai`, `${fake.url}/openai/`]) {
      const bifrost = await engine({
        keys: [{ value: apiKey }],
        network_config: { base_url: baseUrl },
        meta_config: { deployments, api_version: '2025-01-01-preview' },
      });
      await bifrost.chatCompletion({ provider: 'azure', model: 'gpt-4o', messages: question });
    }
    expect(fake.dataRequests().map((request) => `${request.path}?${request.query}`)).toEqual([
      '/openai/deployments/gpt-4o-deploy/chat/completions?api-version=2025-01-01-preview',
      '/openai/deployments/gpt-4o-deploy/chat/completions?api-version=2025-01-01-preview',
      '/openai/deployments/gpt-4o-deploy/chat/completions?api-version=2025-01-01-preview',
    ]);
  });

  it('speaks the v1 API when api_version is "v1": no api-version, the deployment as the body’s model', async () => {
    const bifrost = await keyEngine({ api_version: 'v1' });
    await bifrost.chatCompletion({ provider: 'azure', model: 'gpt-4o', messages: question });
    await bifrost.embedding({ provider: 'azure', model: 'text-embedding-3-small', input: 'hi' });
    const [chat, embedding] = fake.dataRequests();
    expect(chat?.path).toBe('/openai/v1/chat/completions');
    expect([...chat!.query]).toEqual([]);
    expect(chat?.headers['api-key']).toBe(apiKey);
    expect(chat?.body).toEqual({ model: 'gpt-4o-deploy', messages: question });
    expect(embedding?.path).toBe('/openai/v1/embeddings');
    expect(embedding?.body).toEqual({ model: 'embed-deploy', input: 'hi' });
  });

  it('refuses a model missing from meta_config.deployments before sending anything', async () => {
    const bifrost = await keyEngine();
    const failure = bifrost.chatCompletion({ provider: 'azure', model: 'o3-mini', messages: question });
    await expect(failure).rejects.toMatchObject({
      code: 'invalid_request',
      statusCode: 400,
      message: expect.stringContaining('meta_config.deployments'),
    });
    expect(fake.requests).toHaveLength(0);
  });

  it('streams OpenAI chunks, dropping the prompt-annotation chunk Azure opens with', async () => {
    const bifrost = await keyEngine();
    const stream = await bifrost.chatCompletionStream({
      provider: 'azure',
      model: 'gpt-4o',
      messages: question,
      params: { stream_options: { include_usage: true } },
    });
    const chunks = await collect(stream);

    expect(fake.dataRequests()[0]?.body).toEqual({
      stream_options: { include_usage: true },
      model: 'gpt-4o',
      messages: question,
      stream: true,
    });
    expect(withoutExtraFields(chunks)).toEqual(readAzureFixture<unknown[]>('chat-stream-chunks').slice(1));
    expect(chunks.map((chunk) => chunk.choices[0]?.finish_reason ?? null)).toEqual([
      null,
      null,
      null,
      'stop',
      null,
    ]);
    expect(chunks.at(-1)?.usage).toEqual({ completion_tokens: 3, prompt_tokens: 19, total_tokens: 22 });
  });

  it('ends with a mid-stream error when the connection drops', async () => {
    const bifrost = await keyEngine();
    const chunks = readAzureFixture<unknown[]>('chat-stream-chunks').slice(0, 3);
    fake.enqueue({ kind: 'sse', chunks, dropConnection: true });
    const stream = await bifrost.chatCompletionStream({
      provider: 'azure',
      model: 'gpt-4o',
      messages: question,
    });
    await expect(collect(stream)).rejects.toMatchObject({
      code: 'network_error',
      statusCode: 502,
      message: expect.stringContaining('broke before the answer was complete'),
    });
  });

  it('sends a tool call round trip back exactly as the caller replays it', async () => {
    const bifrost = await keyEngine();
    const tools = [
      {
        type: 'function' as const,
        function: {
          name: 'get_weather',
          description: 'Current weather',
          parameters: {
            type: 'object',
            properties: { location: { type: 'string' } },
            required: ['location'],
          },
        },
      },
    ];
    fake.enqueue({ kind: 'json', body: readAzureFixture('chat-completion-tool-call') });
    const first = await bifrost.chatCompletion({
      provider: 'azure',
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Weather in Boston?' }],
      params: { tools, tool_choice: 'auto' },
    });
    const call = first.choices[0]?.message.tool_calls?.[0];
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');
    expect(call).toEqual({
      id: 'call_sdk1235',
      type: 'function',
      function: { name: 'get_weather', arguments: '{"location":"Boston"}' },
    });

    const replay: ChatMessage[] = [
      { role: 'user', content: 'Weather in Boston?' },
      { role: 'assistant', content: null, tool_calls: [call!] },
      { role: 'tool', tool_call_id: 'call_sdk1235', content: '{"temperature":22}' },
    ];
    await bifrost.chatCompletion({ provider: 'azure', model: 'gpt-4o', messages: replay, params: { tools } });
    expect(fake.dataRequests()[1]?.body).toEqual({ tools, model: 'gpt-4o', messages: replay });
  });

  it('passes image parts by URL and as base64 data URLs', async () => {
    const bifrost = await keyEngine();
    const messages: ChatMessage[] = [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in these images?' },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.png', detail: 'low' } },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
        ],
      },
    ];
    await bifrost.chatCompletion({ provider: 'azure', model: 'gpt-4o', messages });
    expect(fake.dataRequests()[0]?.body).toEqual({ model: 'gpt-4o', messages });
  });

  it('tolerates content_filter_results on text completions', async () => {
    const bifrost = await engine({ keys: [{ value: apiKey }], meta_config: { endpoint: fake.url } });
    const answer = await bifrost.textCompletion({
      provider: 'azure',
      model: 'gpt-35-turbo-instruct',
      text: 'This is a test',
      params: { max_tokens: 5 },
    });
    expect(fake.dataRequests()[0]?.path).toBe('/openai/deployments/gpt-35-turbo-instruct/completions');
    expect(fake.dataRequests()[0]?.body).toEqual({
      max_tokens: 5,
      model: 'gpt-35-turbo-instruct',
      prompt: 'This is a test',
    });
    expect(answer.choices[0]?.text).toBe('This is indeed a test');
  });
});

describe('azure embeddings and models', () => {
  it('posts embeddings to the embedding deployment', async () => {
    const bifrost = await keyEngine();
    const answer = await bifrost.embedding({
      provider: 'azure',
      model: 'text-embedding-3-small',
      input: ['The food was delicious'],
      params: { dimensions: 3 },
    });
    const [request] = fake.dataRequests();
    expect(request?.path).toBe('/openai/deployments/embed-deploy/embeddings');
    expect(request?.body).toEqual({
      dimensions: 3,
      model: 'text-embedding-3-small',
      input: ['The food was delicious'],
    });
    expect(answer.data[0]?.embedding).toEqual([0.0023064255, -0.009327292, -0.0028842222]);
  });

  it('lists the configured deployments without calling Azure', async () => {
    const bifrost = await keyEngine();
    const models = await bifrost.listModels('azure');
    expect(models.map((model) => model.id)).toEqual(['azure/gpt-4o', 'azure/text-embedding-3-small']);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('azure errors', () => {
  it('keeps a content-filter refusal’s status, code and inner code', async () => {
    const bifrost = await keyEngine();
    fake.enqueue({ kind: 'json', status: 400, body: readAzureFixture('error-400-content-filter') });
    const failure = bifrost.chatCompletion({ provider: 'azure', model: 'gpt-4o', messages: question });
    await expect(failure).rejects.toMatchObject({
      code: 'invalid_request',
      statusCode: 400,
      fromProvider: true,
      upstreamCode: 'content_filter',
      upstreamType: 'ResponsibleAIPolicyViolation',
      param: 'prompt',
      message: expect.stringContaining('content management policy'),
    });
  });

  it('keeps a 429 and prefers retry-after-ms for the wait', async () => {
    const bifrost = await keyEngine();
    fake.enqueue({
      kind: 'json',
      status: 429,
      body: readAzureFixture('error-429-rate-limit'),
      headers: { 'retry-after': '6', 'retry-after-ms': '5500' },
    });
    const failure = bifrost.chatCompletion({ provider: 'azure', model: 'gpt-4o', messages: question });
    await expect(failure).rejects.toMatchObject({
      code: 'rate_limited',
      statusCode: 429,
      upstreamCode: '429',
      retryAfterMs: 5500,
      message: expect.stringContaining('exceeded token rate limit'),
    });
  });

  it('answers a wrong key with Azure’s 401 and no trace of the key', async () => {
    const bifrost = await engine({
      keys: [{ value: 'wrong-key-0123456789' }],
      meta_config: { endpoint: fake.url, deployments },
    });
    const error = (await bifrost
      .chatCompletion({ provider: 'azure', model: 'gpt-4o', messages: question })
      .catch((caught: unknown) => caught)) as GatewayError;
    expect(error).toMatchObject({ code: 'authentication_failed', statusCode: 401, upstreamCode: '401' });
    expect(error.message).toContain('Access denied');
    expect(error.message).not.toContain('wrong-key-0123456789');
  });
});

describe('azure Entra ID', () => {
  function entraEngine(clientSecret = 'client-secret-value-123', upstream = fake) {
    return engine({
      meta_config: {
        endpoint: upstream.url,
        deployments,
        tenant_id: 'tenant-1',
        client_id: 'client-app-id',
        client_secret: clientSecret,
        token_url: `${upstream.url}/tenant-1/oauth2/v2.0/token`,
      },
    });
  }

  it('exchanges client credentials once and reuses the bearer token', async () => {
    const bifrost = await entraEngine();
    for (let call = 0; call < 3; call++) {
      await bifrost.chatCompletion({ provider: 'azure', model: 'gpt-4o', messages: question });
    }
    const tokenRequests = fake.tokenRequests();
    expect(tokenRequests).toHaveLength(1);
    expect(tokenRequests[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(tokenRequests[0]!.rawBody))).toEqual({
      grant_type: 'client_credentials',
      client_id: 'client-app-id',
      client_secret: 'client-secret-value-123',
      scope: 'https://cognitiveservices.azure.com/.default',
    });
    const dataRequests = fake.dataRequests();
    expect(dataRequests).toHaveLength(3);
    for (const request of dataRequests) {
      expect(request.headers.authorization).toBe('Bearer entra-token-1');
      expect(request.headers['api-key']).toBeUndefined();
    }
  });

  it('shares one token exchange among concurrent requests', async () => {
    const bifrost = await entraEngine();
    await Promise.all(
      [1, 2, 3].map(() => bifrost.chatCompletion({ provider: 'azure', model: 'gpt-4o', messages: question })),
    );
    expect(fake.tokenRequests()).toHaveLength(1);
  });

  it('fetches a new token once the cached one is about to expire', async () => {
    // Tokens living 30 s are inside the one-minute refresh margin, so each request finds its token expiring.
    const shortLived = await startAzureUpstream({
      deployments: ['gpt-4o-deploy'],
      entraClients: { 'client-app-id': 'client-secret-value-123' },
      tokenLifetimeSeconds: 30,
    });
    try {
      const bifrost = await entraEngine('client-secret-value-123', shortLived);
      await bifrost.chatCompletion({ provider: 'azure', model: 'gpt-4o', messages: question });
      await bifrost.chatCompletion({ provider: 'azure', model: 'gpt-4o', messages: question });
      expect(shortLived.tokenRequests()).toHaveLength(2);
      expect(shortLived.dataRequests().map((request) => request.headers.authorization)).toEqual([
        'Bearer entra-token-1',
        'Bearer entra-token-2',
      ]);
    } finally {
      await shortLived.close();
    }
  });

  it('turns a refused exchange into a 401 with Entra’s description and without the secret', async () => {
    const bifrost = await entraEngine('not-the-secret-456');
    const error = (await bifrost
      .chatCompletion({ provider: 'azure', model: 'gpt-4o', messages: question })
      .catch((caught: unknown) => caught)) as GatewayError;
    expect(error).toMatchObject({
      code: 'authentication_failed',
      statusCode: 401,
      upstreamType: 'invalid_client',
    });
    expect(error.message).toContain('AADSTS7000215');
    expect(error.message).not.toContain('not-the-secret-456');
    expect(fake.dataRequests()).toHaveLength(0);
  });
});
