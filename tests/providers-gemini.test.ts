import { Bifrost, type GatewayError } from '@bifrost/core';
import {
  type Account,
  type ChatMessage,
  type ChatStreamChunk,
  providerConfigSchema,
  type Tool,
} from '@bifrost/schemas';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type GoogleUpstream,
  readGeminiFixture,
  startGeminiUpstream,
  vectorFor,
} from './support/gemini-upstream.js';

const apiKey = 'AIzaSy-integration-key';
const model = 'gemini-2.5-flash';
const generatePath = `/v1beta/models/${model}:generateContent`;

let fake: GoogleUpstream;
const engines: Bifrost[] = [];

beforeAll(async () => {
  fake = await startGeminiUpstream({ apiKeys: [apiKey] });
});
afterAll(async () => {
  await Promise.all(engines.map((engine) => engine.shutdown()));
  await fake.close();
});
beforeEach(() => fake.reset());

async function engine(baseUrl = fake.url, key = apiKey): Promise<Bifrost> {
  const parsed = providerConfigSchema.parse({
    keys: [{ value: key }],
    network_config: { base_url: baseUrl, max_retries: 0 },
  });
  const account: Account = {
    getConfiguredProviders: () => ['gemini'],
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

const temperatureTool: Tool = {
  type: 'function',
  function: {
    name: 'get_current_temperature',
    description: 'Gets the current temperature for a given location.',
    parameters: {
      type: 'object',
      properties: { location: { type: 'string', description: 'The city name' } },
      required: ['location'],
      additionalProperties: false,
    },
  },
};

describe('gemini provider through the engine', () => {
  it('translates a chat request and answer, asserting the exact upstream request', async () => {
    const bifrost = await engine();
    const answer = await bifrost.chatCompletion({
      provider: 'gemini',
      model,
      messages: [
        { role: 'system', content: 'Answer in one sentence.' },
        { role: 'user', content: 'How does AI work?' },
      ],
      params: { temperature: 0.3, max_tokens: 64, stop: ['\n\n'] },
    });

    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request!.method).toBe('POST');
    expect(request!.path).toBe(generatePath);
    expect([...request!.query]).toEqual([]);
    expect(request!.headers['x-goog-api-key']).toBe(apiKey);
    expect(request!.headers.authorization).toBeUndefined();
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.body).toEqual({
      systemInstruction: { parts: [{ text: 'Answer in one sentence.' }] },
      contents: [{ role: 'user', parts: [{ text: 'How does AI work?' }] }],
      generationConfig: { temperature: 0.3, maxOutputTokens: 64, stopSequences: ['\n\n'] },
    });
    expect(answer).toMatchObject({
      id: 'mAitaLmkHPPlz7IPvtfUqQ4',
      object: 'chat.completion',
      model: 'gemini-2.5-flash',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'AI learns patterns from data and uses them to make predictions on new inputs.',
          },
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 8, completion_tokens: 15, total_tokens: 23 },
      extra_fields: { provider: 'gemini', model },
    });
  });

  it('streams the exact OpenAI chunk sequence, finish reason and usage last', async () => {
    const bifrost = await engine();
    const stream = await bifrost.chatCompletionStream({
      provider: 'gemini',
      model,
      messages: [{ role: 'user', content: 'Write a story about a magic backpack.' }],
    });
    const chunks = await collect(stream);

    expect(fake.requests[0]!.path).toBe(`/v1beta/models/${model}:streamGenerateContent`);
    expect(fake.requests[0]!.query.get('alt')).toBe('sse');
    expect(fake.requests[0]!.query.has('key')).toBe(false);
    expect(fake.requests[0]!.body).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'Write a story about a magic backpack.' }] }],
    });
    const withoutStamps = chunks.map(({ extra_fields, created, ...chunk }) => chunk);
    const base = { id: 'jBitaKvxEsr4z7IP-Y3QsQ4', object: 'chat.completion.chunk', model };
    expect(withoutStamps).toEqual([
      {
        ...base,
        choices: [
          { index: 0, delta: { role: 'assistant', content: 'Once upon a time' }, finish_reason: null },
        ],
      },
      {
        ...base,
        choices: [
          { index: 0, delta: { content: ', in a land far away, a backpack sang.' }, finish_reason: null },
        ],
      },
      { ...base, choices: [{ index: 0, delta: { content: ' The end.' }, finish_reason: null }] },
      {
        ...base,
        choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
        usage: { prompt_tokens: 5, completion_tokens: 17, total_tokens: 22 },
      },
    ]);
    expect(chunks.at(-1)!.extra_fields).toMatchObject({ provider: 'gemini', model });
  });

  it('round-trips a tool call with its thought signature', async () => {
    fake.enqueue({ kind: 'json', body: readGeminiFixture('generate-content-function-call') });
    const bifrost = await engine();
    const question: ChatMessage = { role: 'user', content: "What's the temperature in London?" };
    const first = await bifrost.chatCompletion({
      provider: 'gemini',
      model,
      messages: [question],
      params: { tools: [temperatureTool], tool_choice: 'auto' },
    });
    expect(first.choices[0]!.finish_reason).toBe('tool_calls');
    expect(first.extra_fields.warnings).toEqual([
      'gemini does not accept additionalProperties in tool definitions; dropped',
    ]);
    const assistant = first.choices[0]!.message;
    expect(assistant.tool_calls).toEqual([
      {
        id: 'call_0',
        type: 'function',
        function: { name: 'get_current_temperature', arguments: '{"location":"London"}' },
        extra_content: { google: { thought_signature: 'CiQB0e2Kb7x1U2lnbmF0dXJlRm9yVGhlQ2FsbA==' } },
      },
    ]);

    await bifrost.chatCompletion({
      provider: 'gemini',
      model,
      messages: [
        question,
        assistant,
        { role: 'tool', tool_call_id: 'call_0', content: '{"temperature":12,"unit":"celsius"}' },
      ],
      params: { tools: [temperatureTool] },
    });
    const declarations = [
      {
        functionDeclarations: [
          {
            name: 'get_current_temperature',
            description: 'Gets the current temperature for a given location.',
            parameters: {
              type: 'object',
              properties: { location: { type: 'string', description: 'The city name' } },
              required: ['location'],
            },
          },
        ],
      },
    ];
    expect(fake.requests[0]!.body).toEqual({
      contents: [{ role: 'user', parts: [{ text: "What's the temperature in London?" }] }],
      tools: declarations,
      toolConfig: { functionCallingConfig: { mode: 'AUTO' } },
    });
    expect(fake.requests[1]!.body).toEqual({
      contents: [
        { role: 'user', parts: [{ text: "What's the temperature in London?" }] },
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
            {
              functionResponse: {
                name: 'get_current_temperature',
                response: { temperature: 12, unit: 'celsius' },
              },
            },
          ],
        },
      ],
      tools: declarations,
    });
  });

  it('sends an image by URL as fileData and a base64 data URL as inlineData', async () => {
    const bifrost = await engine();
    await bifrost.chatCompletion({
      provider: 'gemini',
      model,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in these images?' },
            { type: 'image_url', image_url: { url: 'https://example.com/images/cat.png' } },
            { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQSkZJRg==' } },
          ],
        },
      ],
    });
    expect(fake.requests[0]!.body).toEqual({
      contents: [
        {
          role: 'user',
          parts: [
            { text: 'What is in these images?' },
            { fileData: { mimeType: 'image/png', fileUri: 'https://example.com/images/cat.png' } },
            { inlineData: { mimeType: 'image/jpeg', data: '/9j/4AAQSkZJRg==' } },
          ],
        },
      ],
    });
  });

  it('embeds one input with embedContent and many with batchEmbedContents', async () => {
    const bifrost = await engine();
    const one = await bifrost.embedding({
      provider: 'gemini',
      model: 'gemini-embedding-001',
      input: 'hello',
      params: { dimensions: 4 },
    });
    const many = await bifrost.embedding({
      provider: 'gemini',
      model: 'gemini-embedding-001',
      input: ['a', 'b'],
    });

    expect(
      fake.requests.map((request) => [request.path, request.headers['x-goog-api-key'], request.body]),
    ).toEqual([
      [
        '/v1beta/models/gemini-embedding-001:embedContent',
        apiKey,
        { content: { parts: [{ text: 'hello' }] }, outputDimensionality: 4 },
      ],
      [
        '/v1beta/models/gemini-embedding-001:batchEmbedContents',
        apiKey,
        {
          requests: [
            { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'a' }] } },
            { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'b' }] } },
          ],
        },
      ],
    ]);
    expect(one.data).toEqual([{ object: 'embedding', index: 0, embedding: vectorFor(0) }]);
    expect(many.data.map((entry) => entry.embedding)).toEqual([vectorFor(0), vectorFor(1)]);
  });

  it('lists models with a GET', async () => {
    const bifrost = await engine();
    const models = await bifrost.listModels('gemini');
    expect(models.map((entry) => entry.id)).toEqual([
      'gemini/gemini-2.5-flash',
      'gemini/gemini-embedding-001',
    ]);
    expect(fake.requests[0]).toMatchObject({ method: 'GET', path: '/v1beta/models' });
  });

  it('keeps status, Google status and message of an upstream error, and Retry-After on 429', async () => {
    fake.enqueue({
      kind: 'json',
      status: 429,
      body: readGeminiFixture('error-429-resource-exhausted'),
      headers: { 'retry-after': '7' },
    });
    const bifrost = await engine();
    const limited = await failure(
      bifrost.chatCompletion({ provider: 'gemini', model, messages: [{ role: 'user', content: 'hi' }] }),
    );
    expect(limited).toMatchObject({
      code: 'rate_limited',
      statusCode: 429,
      upstreamType: 'RESOURCE_EXHAUSTED',
      message: 'You exceeded your current quota, please check your plan and billing details.',
      retryAfterMs: 7000,
    });
  });

  it('passes on the documented rejection of a wrong key without echoing the key', async () => {
    const bifrost = await engine(fake.url, 'AIzaSy-wrong-key');
    const error = await failure(
      bifrost.chatCompletion({ provider: 'gemini', model, messages: [{ role: 'user', content: 'hi' }] }),
    );
    expect(error).toMatchObject({
      statusCode: 400,
      upstreamType: 'INVALID_ARGUMENT',
      upstreamCode: 'API_KEY_INVALID',
      message: 'API key not valid. Please pass a valid API key.',
    });
  });

  it('accepts a base URL that already ends in /v1beta', async () => {
    const bifrost = await engine(`${fake.url}/v1beta`);
    await bifrost.chatCompletion({ provider: 'gemini', model, messages: [{ role: 'user', content: 'hi' }] });
    expect(fake.requests[0]!.path).toBe(generatePath);
  });
});
