import { Bifrost, type ChatCompletionStream, GatewayError } from '@bifrost/core';
import {
  type Account,
  type ChatStreamChunk,
  type Key,
  type ProviderConfig,
  providerConfigSchema,
} from '@bifrost/schemas';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type BedrockUpstream,
  readBedrockFixture,
  startBedrockUpstream,
} from './support/bedrock-upstream.js';

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'FQoGZXIvYXdzEXAMPLETOKEN',
};
const apiKey = 'ABSKQmVkcm9ja0FQSUtleS1leGFtcGxl';
const claude = 'anthropic.claude-3-5-sonnet-20240620-v1:0';
const claudePath = `/model/${encodeURIComponent(claude)}`;
const profileArn =
  'arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-3-5-sonnet-20240620-v1:0';
const pngBase64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

let upstream: BedrockUpstream;
let bifrost: Bifrost | undefined;

beforeAll(async () => {
  upstream = await startBedrockUpstream({ ...credentials, region: 'eu-west-1', apiKeys: [apiKey] });
});
afterAll(() => upstream.close());
beforeEach(() => upstream.reset());
afterEach(async () => {
  await bifrost?.shutdown();
  bifrost = undefined;
});

/** An engine whose only provider is Bedrock, configured as the config file would. */
async function engine(
  config: Record<string, unknown> = {},
  keyValue = credentials.accessKeyId,
): Promise<Bifrost> {
  const parsed: ProviderConfig = providerConfigSchema.parse({
    network_config: { base_url: upstream.url },
    meta_config: {
      secret_access_key: credentials.secretAccessKey,
      session_token: credentials.sessionToken,
      region: 'eu-west-1',
    },
    ...config,
  });
  const key: Key = { value: keyValue, models: [], weight: 1 };
  const account: Account = {
    getConfiguredProviders: () => ['bedrock'],
    getKeysForProvider: () => [key],
    getConfigForProvider: () => parsed,
  };
  bifrost = await Bifrost.init({ account });
  return bifrost;
}

/** The headers a SigV4-signed request carries; the fake has already checked the signature itself. */
const signedHeaders = (accept = 'application/json') =>
  expect.objectContaining({
    'content-type': 'application/json',
    accept,
    'x-amz-date': expect.stringMatching(/^\d{8}T\d{6}Z$/),
    'x-amz-security-token': credentials.sessionToken,
    'x-amz-content-sha256': expect.stringMatching(/^[0-9a-f]{64}$/),
    authorization: expect.stringMatching(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/bedrock\/aws4_request, SignedHeaders=accept;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/,
    ),
  });

async function drain(stream: ChatCompletionStream): Promise<ChatStreamChunk[]> {
  const chunks: ChatStreamChunk[] = [];
  for await (const chunk of stream) {
    const { extra_fields: _stamped, ...rest } = chunk;
    chunks.push(rest);
  }
  return chunks;
}

function withoutExtraFields<T extends { extra_fields?: unknown }>(answer: T): Omit<T, 'extra_fields'> {
  const { extra_fields: _stamped, ...rest } = answer;
  return rest;
}

describe('bedrock provider', () => {
  it('sends a signed Converse request and answers in OpenAI shape', async () => {
    const gateway = await engine();
    const answer = await gateway.chatCompletion({
      provider: 'bedrock',
      model: claude,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello!' },
      ],
      params: { max_tokens: 256, temperature: 0.2 },
    });
    expect(upstream.requests).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: `${claudePath}/converse`,
        headers: signedHeaders(),
        body: {
          system: [{ text: 'Be brief.' }],
          messages: [{ role: 'user', content: [{ text: 'Hello!' }] }],
          inferenceConfig: { maxTokens: 256, temperature: 0.2 },
        },
      }),
    ]);
    expect(withoutExtraFields(answer)).toEqual({
      id: 'bedrock-req-1',
      object: 'chat.completion',
      created: expect.any(Number),
      model: claude,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hello! How can I help you today?' },
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 12, completion_tokens: 9, total_tokens: 21 },
    });
    expect(answer.extra_fields).toMatchObject({ provider: 'bedrock', model: claude });
  });

  it('calls an inference-profile ARN from meta_config, encoded as one path segment and still signed right', async () => {
    const gateway = await engine({
      meta_config: {
        secret_access_key: credentials.secretAccessKey,
        session_token: credentials.sessionToken,
        region: 'eu-west-1',
        inference_profiles: { 'claude-sonnet': profileArn },
      },
    });
    const answer = await gateway.chatCompletion({
      provider: 'bedrock',
      model: 'claude-sonnet',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(upstream.requests[0]!.path).toBe(`/model/${encodeURIComponent(profileArn)}/converse`);
    expect(answer.model).toBe('claude-sonnet');
  });

  it('sends a Bedrock API key as a bearer token when no secret is configured', async () => {
    const gateway = await engine({ meta_config: { region: 'eu-west-1' } }, apiKey);
    await gateway.chatCompletion({
      provider: 'bedrock',
      model: claude,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(upstream.requests[0]!.headers).toMatchObject({ authorization: `Bearer ${apiKey}` });
    expect(upstream.requests[0]!.headers['x-amz-date']).toBeUndefined();
  });

  it('passes on the 403 when the Bedrock API key is not accepted', async () => {
    const gateway = await engine({ meta_config: { region: 'eu-west-1' } }, 'ABSK-not-a-known-key');
    await expect(
      gateway.chatCompletion({
        provider: 'bedrock',
        model: claude,
        messages: [{ role: 'user', content: 'Hi' }],
      }),
    ).rejects.toMatchObject({ statusCode: 403, upstreamType: 'UnrecognizedClientException' });
  });

  it('stops a hanging upstream call when the caller aborts', async () => {
    const gateway = await engine();
    upstream.enqueue({ kind: 'hang' });
    const controller = new AbortController();
    const sent = gateway.chatCompletion(
      { provider: 'bedrock', model: claude, messages: [{ role: 'user', content: 'Hi' }] },
      { signal: controller.signal },
    );
    await expect.poll(() => upstream.requests.length).toBe(1);
    controller.abort();
    await expect(sent).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('passes on the 403 InvalidSignatureException when the secret is wrong', async () => {
    const gateway = await engine({
      meta_config: {
        secret_access_key: 'wrong',
        session_token: credentials.sessionToken,
        region: 'eu-west-1',
      },
    });
    const sent = gateway.chatCompletion({
      provider: 'bedrock',
      model: claude,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    await expect(sent).rejects.toBeInstanceOf(GatewayError);
    await expect(sent).rejects.toMatchObject({
      code: 'permission_denied',
      statusCode: 403,
      upstreamType: 'InvalidSignatureException',
      message: expect.stringMatching(/^The request signature we calculated does not match/),
    });
  });

  it('streams ConverseStream frames split across chunks as the exact OpenAI chunk sequence', async () => {
    const gateway = await engine();
    upstream.enqueue({ kind: 'stream', items: readBedrockFixture('converse-stream-events'), chunkSize: 5 });
    const stream = await gateway.chatCompletionStream({
      provider: 'bedrock',
      model: claude,
      messages: [{ role: 'user', content: 'Hello!' }],
    });
    const head = {
      id: 'bedrock-req-1',
      object: 'chat.completion.chunk',
      created: expect.any(Number),
      model: claude,
    };
    expect(await drain(stream)).toEqual([
      { ...head, choices: [{ index: 0, delta: { role: 'assistant' }, finish_reason: null }] },
      { ...head, choices: [{ index: 0, delta: { content: 'Hello' }, finish_reason: null }] },
      { ...head, choices: [{ index: 0, delta: { content: '! How can I help?' }, finish_reason: null }] },
      { ...head, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
      { ...head, choices: [], usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 } },
    ]);
    expect(upstream.requests[0]).toMatchObject({
      path: `${claudePath}/converse-stream`,
      headers: signedHeaders('application/vnd.amazon.eventstream'),
      body: { messages: [{ role: 'user', content: [{ text: 'Hello!' }] }] },
    });
  });

  it('ends a stream with the mapped error when Bedrock sends an exception event', async () => {
    const gateway = await engine();
    upstream.enqueue({
      kind: 'stream',
      items: [
        { event: 'messageStart', payload: { role: 'assistant' } },
        { exception: 'modelStreamErrorException', message: 'The model stream failed.' },
      ],
    });
    const stream = await gateway.chatCompletionStream({
      provider: 'bedrock',
      model: claude,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    await expect(drain(stream)).rejects.toMatchObject({
      statusCode: 424,
      upstreamType: 'ModelStreamErrorException',
      message: 'The model stream failed.',
    });
  });

  it('reports a stream cut inside a frame as cut short', async () => {
    const gateway = await engine();
    upstream.enqueue({ kind: 'stream', items: readBedrockFixture('converse-stream-events'), truncate: 9 });
    const stream = await gateway.chatCompletionStream({
      provider: 'bedrock',
      model: claude,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    await expect(drain(stream)).rejects.toMatchObject({
      message: 'bedrock closed the stream before it finished',
    });
  });

  it('streams a tool call with id and name first, then the argument fragments', async () => {
    const gateway = await engine();
    upstream.enqueue({
      kind: 'stream',
      items: readBedrockFixture('converse-stream-tool-use-events'),
      chunkSize: 11,
    });
    const stream = await gateway.chatCompletionStream({
      provider: 'bedrock',
      model: claude,
      messages: [{ role: 'user', content: 'Weather?' }],
    });
    const toolDeltas = (await drain(stream)).flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    expect(toolDeltas).toEqual([
      {
        index: 0,
        id: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q',
        type: 'function',
        function: { name: 'get_weather', arguments: '' },
      },
      { index: 0, function: { arguments: '{"location": ' } },
      { index: 0, function: { arguments: '"Seattle, WA"}' } },
    ]);
  });

  it('round-trips a tool call: the replayed assistant turn and tool result reach Bedrock intact', async () => {
    const gateway = await engine();
    const tools = [
      {
        type: 'function' as const,
        function: {
          name: 'get_weather',
          description: 'Current weather for a city',
          parameters: {
            type: 'object',
            properties: { location: { type: 'string' } },
            required: ['location'],
          },
        },
      },
    ];
    upstream.enqueue({ kind: 'json', body: readBedrockFixture('converse-response-tool-use') });
    const first = await gateway.chatCompletion({
      provider: 'bedrock',
      model: claude,
      messages: [{ role: 'user', content: 'Weather in Seattle?' }],
      params: { tools, tool_choice: 'auto' },
    });
    const assistant = first.choices[0]!.message;
    expect(first.choices[0]!.finish_reason).toBe('tool_calls');
    expect(assistant.tool_calls).toEqual([
      {
        id: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q',
        type: 'function',
        function: { name: 'get_weather', arguments: '{"location":"Seattle, WA","unit":"celsius"}' },
      },
    ]);
    await gateway.chatCompletion({
      provider: 'bedrock',
      model: claude,
      messages: [
        { role: 'user', content: 'Weather in Seattle?' },
        assistant,
        {
          role: 'tool',
          tool_call_id: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q',
          content: '{"temperature": 12, "sky": "rain"}',
        },
      ],
      params: { tools, tool_choice: 'auto' },
    });
    expect(upstream.requests[1]!.body).toEqual({
      messages: [
        { role: 'user', content: [{ text: 'Weather in Seattle?' }] },
        {
          role: 'assistant',
          content: [
            { text: "I'll look up the weather in Seattle." },
            {
              toolUse: {
                toolUseId: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q',
                name: 'get_weather',
                input: { location: 'Seattle, WA', unit: 'celsius' },
              },
            },
          ],
        },
        {
          role: 'user',
          content: [
            {
              toolResult: {
                toolUseId: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q',
                content: [{ text: '{"temperature": 12, "sky": "rain"}' }],
              },
            },
          ],
        },
      ],
      toolConfig: {
        tools: [
          {
            toolSpec: {
              name: 'get_weather',
              description: 'Current weather for a city',
              inputSchema: {
                json: {
                  type: 'object',
                  properties: { location: { type: 'string' } },
                  required: ['location'],
                },
              },
            },
          },
        ],
        toolChoice: { auto: {} },
      },
    });
  });

  it('keeps reasoning signatures and cache usage from a Claude thinking answer', async () => {
    const gateway = await engine();
    upstream.enqueue({ kind: 'json', body: readBedrockFixture('converse-response-reasoning') });
    const answer = await gateway.chatCompletion({
      provider: 'bedrock',
      model: claude,
      messages: [
        {
          role: 'user',
          content: [{ type: 'text', text: 'What is 17 × 23?', cache_control: { type: 'ephemeral' } }],
        },
      ],
      params: { reasoning_effort: 'low' },
    });
    expect(upstream.requests[0]!.body).toEqual({
      messages: [
        { role: 'user', content: [{ text: 'What is 17 × 23?' }, { cachePoint: { type: 'default' } }] },
      ],
      inferenceConfig: { maxTokens: 6144 },
      additionalModelRequestFields: { thinking: { type: 'enabled', budget_tokens: 2048 } },
    });
    expect(answer.choices[0]!.message.reasoning_details).toEqual([
      {
        type: 'reasoning.text',
        text: 'The user asks for 17 * 23. 17 * 20 = 340, 17 * 3 = 51, so 391.',
        signature: 'EqoBCkgIARABGAIiQL2UoU0b1OHYi',
        index: 0,
      },
      { type: 'reasoning.encrypted', data: 'RXJyb3IgcmVkYWN0ZWQ=', index: 1 },
    ]);
    expect(answer.usage).toEqual({
      prompt_tokens: 1049,
      completion_tokens: 120,
      total_tokens: 1169,
      prompt_tokens_details: { cached_tokens: 1000, cache_write_tokens: 24 },
    });
  });

  it('sends a base64 image as bytes and warns about an image URL it cannot fetch', async () => {
    const gateway = await engine();
    const answer = await gateway.chatCompletion({
      provider: 'bedrock',
      model: claude,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare these.' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${pngBase64}` } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
          ],
        },
      ],
    });
    expect(upstream.requests[0]!.body).toEqual({
      messages: [
        {
          role: 'user',
          content: [{ text: 'Compare these.' }, { image: { format: 'png', source: { bytes: pngBase64 } } }],
        },
      ],
    });
    expect(answer.extra_fields.warnings).toEqual([
      'bedrock needs image bytes: an image given by URL was left out (send a base64 data URL)',
    ]);
  });

  it('embeds with Titan, one InvokeModel call per input', async () => {
    const gateway = await engine();
    const answer = await gateway.embedding({
      provider: 'bedrock',
      model: 'amazon.titan-embed-text-v2:0',
      input: ['hello world', 'goodbye'],
      params: { dimensions: 256 },
    });
    const path = `/model/${encodeURIComponent('amazon.titan-embed-text-v2:0')}/invoke`;
    expect(
      upstream.requests
        .map(({ method, path, body }) => ({ method, path, body }))
        .sort((a, b) => JSON.stringify(a.body).localeCompare(JSON.stringify(b.body))),
    ).toEqual([
      { method: 'POST', path, body: { inputText: 'goodbye', dimensions: 256 } },
      { method: 'POST', path, body: { inputText: 'hello world', dimensions: 256 } },
    ]);
    expect(withoutExtraFields(answer)).toEqual({
      object: 'list',
      model: 'amazon.titan-embed-text-v2:0',
      data: [
        { object: 'embedding', index: 0, embedding: [0.0123, -0.0456, 0.0789, 0.1011] },
        { object: 'embedding', index: 1, embedding: [0.0123, -0.0456, 0.0789, 0.1011] },
      ],
      usage: { prompt_tokens: 10, total_tokens: 10 },
    });
  });

  it('embeds with Cohere in one call with input_type', async () => {
    const gateway = await engine();
    const answer = await gateway.embedding({
      provider: 'bedrock',
      model: 'cohere.embed-english-v3',
      input: ['hello world', 'goodbye'],
    });
    expect(upstream.requests).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/model/cohere.embed-english-v3/invoke',
        headers: signedHeaders(),
        body: { texts: ['hello world', 'goodbye'], input_type: 'search_document' },
      }),
    ]);
    expect(answer.data.map((entry) => entry.embedding)).toEqual([
      [0.016, -0.024, 0.031],
      [-0.008, 0.045, 0.012],
    ]);
    expect(answer.usage).toEqual({ prompt_tokens: 4, total_tokens: 4 });
  });

  it('keeps status, type and message of a ValidationException', async () => {
    const gateway = await engine();
    upstream.enqueue({
      kind: 'error',
      status: 400,
      type: 'ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/',
      message: 'The provided model identifier is invalid.',
    });
    await expect(
      gateway.chatCompletion({
        provider: 'bedrock',
        model: 'nope',
        messages: [{ role: 'user', content: 'Hi' }],
      }),
    ).rejects.toMatchObject({
      code: 'invalid_request',
      statusCode: 400,
      upstreamType: 'ValidationException',
      message: 'The provided model identifier is invalid.',
    });
  });

  it('keeps 429 and Retry-After of a ThrottlingException', async () => {
    const gateway = await engine();
    upstream.enqueue({
      kind: 'error',
      status: 429,
      type: 'ThrottlingException',
      message: 'Too many requests, please wait before trying again.',
      headers: { 'retry-after': '2' },
    });
    await expect(
      gateway.chatCompletion({
        provider: 'bedrock',
        model: claude,
        messages: [{ role: 'user', content: 'Hi' }],
      }),
    ).rejects.toMatchObject({
      code: 'rate_limited',
      statusCode: 429,
      upstreamType: 'ThrottlingException',
      retryAfterMs: 2000,
      message: 'Too many requests, please wait before trying again.',
    });
  });

  it.each([
    ['a path prefix', '/proxy/', '/proxy/model'],
    ['its own /model segment', '/model', '/model'],
  ])('accepts a base URL with %s without doubling it', async (_name, suffix, expectedPrefix) => {
    const gateway = await engine({ network_config: { base_url: `${upstream.url}${suffix}` } });
    await gateway.chatCompletion({
      provider: 'bedrock',
      model: claude,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(upstream.requests[0]!.path).toBe(`${expectedPrefix}/${encodeURIComponent(claude)}/converse`);
  });

  it('lists foundation models from the control plane', async () => {
    const gateway = await engine();
    const models = await gateway.listModels('bedrock');
    expect(models.map((model) => model.id)).toEqual([
      'bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0',
      'bedrock/amazon.titan-embed-text-v2:0',
    ]);
    expect(upstream.requests[0]).toMatchObject({ method: 'GET', path: '/foundation-models' });
  });

  it('refuses text completions before sending anything', async () => {
    const gateway = await engine();
    await expect(
      gateway.textCompletion({ provider: 'bedrock', model: claude, text: 'Once upon' }),
    ).rejects.toMatchObject({
      code: 'invalid_request',
      message: 'bedrock does not support text completions (use chat completions)',
    });
    expect(upstream.requests).toEqual([]);
  });
});
