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
  type AnthropicUpstream,
  readAnthropicFixture,
  readAnthropicStreamFixture,
  startAnthropicUpstream,
} from './support/anthropic-upstream.js';

const apiKey = 'sk-ant-api03-integration-key';
const model = 'claude-sonnet-4-5';
const noRetries = { max_retries: 0 };

let fake: AnthropicUpstream;
const engines: Bifrost[] = [];

beforeAll(async () => {
  fake = await startAnthropicUpstream({ apiKeys: [apiKey] });
});
afterAll(async () => {
  await Promise.all(engines.map((engine) => engine.shutdown()));
  await fake.close();
});
beforeEach(() => fake.reset());

async function engine(config: Record<string, unknown> = {}): Promise<Bifrost> {
  const parsed = providerConfigSchema.parse({
    keys: [{ value: apiKey }],
    network_config: { base_url: fake.url, ...noRetries },
    ...config,
  });
  const account: Account = {
    getConfiguredProviders: () => ['anthropic'],
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

const weatherTool: Tool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Get the current weather in a given location',
    parameters: {
      type: 'object',
      properties: { location: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
      required: ['location'],
    },
  },
};

describe('anthropic provider through the engine', () => {
  it('translates a chat request and answer, asserting the exact upstream request', async () => {
    fake.enqueue({ kind: 'json', body: readAnthropicFixture('message') });
    const bifrost = await engine();
    const answer = await bifrost.chatCompletion({
      provider: 'anthropic',
      model,
      messages: [
        { role: 'system', content: 'You are a helpful assistant.' },
        { role: 'user', content: 'Hello, Claude' },
      ],
      params: { temperature: 0.7, max_tokens: 1024, stop: ['\n\nHuman:'], user: 'user-42' },
    });

    expect(fake.requests).toHaveLength(1);
    const sent = fake.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.path).toBe('/v1/messages');
    expect([...sent.query]).toEqual([]);
    expect(sent.headers).toMatchObject({
      'x-api-key': apiKey,
      'anthropic-version': '2023-06-01',
      'content-type': 'application/json',
    });
    expect(sent.headers.authorization).toBeUndefined();
    expect(sent.body).toEqual({
      model,
      max_tokens: 1024,
      system: 'You are a helpful assistant.',
      messages: [{ role: 'user', content: 'Hello, Claude' }],
      temperature: 0.7,
      stop_sequences: ['\n\nHuman:'],
      metadata: { user_id: 'user-42' },
    });
    expect(answer).toEqual({
      id: 'msg_013Zva2CMHLNnXjNJJKqJ2EF',
      object: 'chat.completion',
      created: expect.any(Number),
      model: 'claude-sonnet-4-5-20250929',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hi! My name is Claude.' },
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 2095, completion_tokens: 503, total_tokens: 2598 },
      extra_fields: { provider: 'anthropic', model, latency: expect.any(Number) },
    });
  });

  it('reports options Anthropic ignores as warnings', async () => {
    const bifrost = await engine();
    const answer = await bifrost.chatCompletion({
      provider: 'anthropic',
      model,
      messages: [{ role: 'user', content: 'Hi' }],
      params: { seed: 1, logit_bias: { '42': 5 } },
    });
    expect(answer.choices[0]!.message.content).toBe('echo: Hi');
    expect(answer.extra_fields.warnings).toEqual(['anthropic ignores seed', 'anthropic ignores logit_bias']);
    expect(fake.requests[0]!.body).toEqual({
      model,
      max_tokens: 4096,
      messages: [{ role: 'user', content: 'Hi' }],
    });
  });

  it('streams the documented events as OpenAI chunks with finish reason and usage', async () => {
    fake.enqueue({ kind: 'stream', events: readAnthropicStreamFixture('stream-text') });
    const bifrost = await engine();
    const stream = await bifrost.chatCompletionStream({
      provider: 'anthropic',
      model,
      messages: [{ role: 'user', content: 'Hello' }],
      params: { stream_options: { include_usage: true } },
    });
    const chunks = await collect(stream);

    expect(fake.requests[0]!.body).toEqual({
      model,
      max_tokens: 4096,
      messages: [{ role: 'user', content: 'Hello' }],
      stream: true,
    });
    const base = {
      id: 'msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY',
      object: 'chat.completion.chunk',
      created: chunks[0]!.created,
      model: 'claude-opus-4-6',
    };
    expect(chunks).toEqual([
      { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] },
      { ...base, choices: [{ index: 0, delta: { content: 'Hello' }, finish_reason: null }] },
      { ...base, choices: [{ index: 0, delta: { content: '!' }, finish_reason: null }] },
      {
        ...base,
        choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
        usage: { prompt_tokens: 25, completion_tokens: 15, total_tokens: 40 },
        extra_fields: { provider: 'anthropic', model, latency: expect.any(Number) },
      },
    ]);
  });

  it('streams a tool call with the tool index, id and name first and argument fragments after', async () => {
    fake.enqueue({ kind: 'stream', events: readAnthropicStreamFixture('stream-tool-use') });
    const bifrost = await engine();
    const chunks = await collect(
      await bifrost.chatCompletionStream({
        provider: 'anthropic',
        model,
        messages: [{ role: 'user', content: 'What is the weather like in San Francisco?' }],
        params: { tools: [weatherTool] },
      }),
    );
    const toolDeltas = chunks.flatMap((chunk) => chunk.choices[0]!.delta.tool_calls ?? []);
    expect(toolDeltas[0]).toEqual({
      index: 0,
      id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
      type: 'function',
      function: { name: 'get_weather', arguments: '' },
    });
    expect(toolDeltas.slice(1).every((delta) => delta.index === 0 && delta.id === undefined)).toBe(true);
    expect(toolDeltas.map((delta) => delta.function?.arguments).join('')).toBe(
      '{"location": "San Francisco, CA", "unit": "fahrenheit"}',
    );
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('tool_calls');
    expect(chunks.at(-1)!.usage).toEqual({ prompt_tokens: 472, completion_tokens: 89, total_tokens: 561 });
  });

  it('runs a tool-call round trip and sends the exact second turn upstream', async () => {
    fake.enqueue({ kind: 'json', body: readAnthropicFixture('message-tool-use') });
    const bifrost = await engine();
    const question: ChatMessage[] = [{ role: 'user', content: 'What is the weather like in San Francisco?' }];
    const params = { tools: [weatherTool], tool_choice: 'auto' as const, parallel_tool_calls: false };
    const first = await bifrost.chatCompletion({ provider: 'anthropic', model, messages: question, params });
    const assistant = first.choices[0]!.message;
    expect(first.choices[0]!.finish_reason).toBe('tool_calls');
    expect(assistant.tool_calls).toEqual([
      {
        id: 'toolu_01A09q90qw90lq917835lq9',
        type: 'function',
        function: { name: 'get_weather', arguments: '{"location":"San Francisco, CA","unit":"celsius"}' },
      },
    ]);

    fake.enqueue({ kind: 'json', body: readAnthropicFixture('message') });
    await bifrost.chatCompletion({
      provider: 'anthropic',
      model,
      messages: [
        ...question,
        assistant,
        { role: 'tool', tool_call_id: assistant.tool_calls![0]!.id, content: '15 degrees' },
      ],
      params,
    });
    expect(fake.requests[1]!.body).toEqual({
      model,
      max_tokens: 4096,
      messages: [
        { role: 'user', content: 'What is the weather like in San Francisco?' },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: "I'll check the current weather in San Francisco for you." },
            {
              type: 'tool_use',
              id: 'toolu_01A09q90qw90lq917835lq9',
              name: 'get_weather',
              input: { location: 'San Francisco, CA', unit: 'celsius' },
            },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_01A09q90qw90lq917835lq9', content: '15 degrees' },
          ],
        },
      ],
      tools: [
        {
          name: 'get_weather',
          description: 'Get the current weather in a given location',
          input_schema: weatherTool.function.parameters,
        },
      ],
      tool_choice: { type: 'auto', disable_parallel_tool_use: true },
    });
  });

  it('replays thinking with its signature on the next turn', async () => {
    fake.enqueue({ kind: 'json', body: readAnthropicFixture('message-thinking') });
    const bifrost = await engine();
    const question: ChatMessage[] = [{ role: 'user', content: 'Are there an infinite number of primes?' }];
    const first = await bifrost.chatCompletion({
      provider: 'anthropic',
      model,
      messages: question,
      params: { reasoning_effort: 'low' },
    });
    expect(fake.requests[0]!.body).toMatchObject({
      thinking: { type: 'enabled', budget_tokens: 2048 },
      max_tokens: 6144,
    });
    await bifrost.chatCompletion({
      provider: 'anthropic',
      model,
      messages: [...question, first.choices[0]!.message, { role: 'user', content: 'Prove it.' }],
    });
    expect((fake.requests[1]!.body as { messages: unknown[] }).messages[1]).toEqual({
      role: 'assistant',
      content: [
        {
          type: 'thinking',
          thinking: 'Let me analyze this step by step...',
          signature: 'WaUjzkypQ2mUEVM36O2TxuC06KN8xyfbJwyem2dw3URve/op91XWHOEBLLqIOMfFG/UvLEczmEsUjavL....',
        },
        {
          type: 'redacted_thinking',
          data: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpPkNRj2YfWXGmKDxH4mPnZ5sQ7vB5URj2pabjbB8j5k3kq3Hwf...',
        },
        { type: 'text', text: 'Based on my analysis...' },
      ],
    });
  });

  it('streams thinking, and the engine joins the signature onto the reasoning block', async () => {
    fake.enqueue({ kind: 'stream', events: readAnthropicStreamFixture('stream-thinking') });
    const bifrost = await engine();
    const chunks = await collect(
      await bifrost.chatCompletionStream({
        provider: 'anthropic',
        model,
        messages: [{ role: 'user', content: 'GCD of 1071 and 462?' }],
        params: { reasoning_effort: 'minimal' },
      }),
    );
    const details = chunks.flatMap((chunk) => chunk.choices[0]!.delta.reasoning_details ?? []);
    expect(details.map((detail) => detail.index)).toEqual([0, 0, 0]);
    expect(details.at(-1)).toEqual({
      type: 'reasoning.text',
      text: '',
      signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds...',
      index: 0,
    });
  });

  it('sends image URLs and base64 data URLs as image blocks with cache_control kept', async () => {
    const bifrost = await engine();
    await bifrost.chatCompletion({
      provider: 'anthropic',
      model,
      messages: [
        {
          role: 'user',
          content: [
            {
              type: 'image_url',
              image_url: {
                url: 'https://upload.wikimedia.org/wikipedia/commons/a/a7/Camponotus_flavomarginatus_ant.jpg',
              },
            },
            {
              type: 'image_url',
              image_url: { url: 'data:image/jpeg;base64,/9j/4AAQSkZJRg==' },
              cache_control: { type: 'ephemeral' },
            },
            { type: 'text', text: 'Describe these images.' },
          ],
        },
      ],
    });
    expect(fake.requests[0]!.body).toEqual({
      model,
      max_tokens: 4096,
      messages: [
        {
          role: 'user',
          content: [
            {
              type: 'image',
              source: {
                type: 'url',
                url: 'https://upload.wikimedia.org/wikipedia/commons/a/a7/Camponotus_flavomarginatus_ant.jpg',
              },
            },
            {
              type: 'image',
              source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQSkZJRg==' },
              cache_control: { type: 'ephemeral' },
            },
            { type: 'text', text: 'Describe these images.' },
          ],
        },
      ],
    });
  });

  it('reports prompt-cache reads and writes in usage', async () => {
    fake.enqueue({ kind: 'json', body: readAnthropicFixture('message-prompt-caching') });
    const bifrost = await engine();
    const answer = await bifrost.chatCompletion({
      provider: 'anthropic',
      model,
      messages: [
        {
          role: 'system',
          content: [{ type: 'text', text: 'A whole novel.', cache_control: { type: 'ephemeral' } }],
        },
        { role: 'user', content: 'Analyze the major themes.' },
      ],
    });
    expect((fake.requests[0]!.body as { system: unknown }).system).toEqual([
      { type: 'text', text: 'A whole novel.', cache_control: { type: 'ephemeral' } },
    ]);
    expect(answer.usage).toEqual({
      prompt_tokens: 188107,
      completion_tokens: 393,
      total_tokens: 188500,
      prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 188086 },
    });
  });

  it('refuses embeddings and text completions without calling upstream', async () => {
    const bifrost = await engine();
    const embedding = await failure(bifrost.embedding({ provider: 'anthropic', model, input: 'x' }));
    expect(embedding).toMatchObject({
      code: 'invalid_request',
      message: 'anthropic does not support embeddings',
    });
    const text = await failure(bifrost.textCompletion({ provider: 'anthropic', model, text: 'x' }));
    expect(text).toMatchObject({
      code: 'invalid_request',
      message: 'anthropic does not support text completions',
    });
    expect(fake.requests).toEqual([]);
  });

  it('keeps the status, type and message of an upstream error', async () => {
    fake.enqueue({ kind: 'json', status: 400, body: readAnthropicFixture('error-400-invalid-request') });
    const bifrost = await engine();
    const error = await failure(
      bifrost.chatCompletion({ provider: 'anthropic', model, messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(error).toMatchObject({
      code: 'invalid_request',
      statusCode: 400,
      upstreamType: 'invalid_request_error',
      message: 'max_tokens: Field required',
      provider: 'anthropic',
    });
  });

  it('keeps retry-after on a 429', async () => {
    fake.enqueue({
      kind: 'json',
      status: 429,
      body: readAnthropicFixture('error-429-rate-limit'),
      headers: { 'retry-after': '90' },
    });
    const bifrost = await engine();
    const error = await failure(
      bifrost.chatCompletion({ provider: 'anthropic', model, messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(error).toMatchObject({
      code: 'rate_limited',
      statusCode: 429,
      upstreamType: 'rate_limit_error',
      retryAfterMs: 90_000,
      message:
        'This request would exceed the rate limit for your organization of 50 input tokens per minute.',
    });
  });

  it('retries a 529 overloaded answer', async () => {
    fake.enqueue({ kind: 'error', status: 529 });
    const bifrost = await engine({
      network_config: { base_url: fake.url, max_retries: 1, retry_backoff_initial: 1, retry_backoff_max: 2 },
    });
    const answer = await bifrost.chatCompletion({
      provider: 'anthropic',
      model,
      messages: [{ role: 'user', content: 'again' }],
    });
    expect(answer.choices[0]!.message.content).toBe('echo: again');
    expect(answer.extra_fields.retries).toBe(1);
    expect(fake.requests).toHaveLength(2);
  });

  it('answers a wrong key with the documented 401 and never echoes the key', async () => {
    const bifrost = await engine({ keys: [{ value: 'sk-ant-wrong-key-0000' }] });
    const error = await failure(
      bifrost.chatCompletion({ provider: 'anthropic', model, messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(error).toMatchObject({
      code: 'authentication_failed',
      statusCode: 401,
      upstreamType: 'authentication_error',
      message: 'invalid x-api-key',
    });
  });

  it('ends a stream with the error event sent mid-stream', async () => {
    fake.enqueue({ kind: 'stream', events: readAnthropicStreamFixture('stream-error') });
    const bifrost = await engine();
    const stream = await bifrost.chatCompletionStream({
      provider: 'anthropic',
      model,
      messages: [{ role: 'user', content: 'x' }],
    });
    const error = await failure(collect(stream));
    expect(error).toMatchObject({ statusCode: 529, upstreamType: 'overloaded_error', message: 'Overloaded' });
  });

  it('reports a stream that ends before message_stop as cut short, and a dropped one as a network error', async () => {
    const events = readAnthropicStreamFixture('stream-text').split('event: message_delta')[0]!;
    fake.enqueue({ kind: 'stream', events }, { kind: 'stream', events, dropConnection: true });
    const bifrost = await engine();
    const request = {
      provider: 'anthropic' as const,
      model,
      messages: [{ role: 'user' as const, content: 'x' }],
    };
    expect(await failure(collect(await bifrost.chatCompletionStream(request)))).toMatchObject({
      code: 'provider_error',
      statusCode: 502,
      message: 'anthropic closed the stream before it finished',
    });
    expect(await failure(collect(await bifrost.chatCompletionStream(request)))).toMatchObject({
      code: 'network_error',
      statusCode: 502,
    });
  });

  it('stops a hanging upstream request when the caller aborts', async () => {
    fake.enqueue({ kind: 'hang' });
    const bifrost = await engine();
    const controller = new AbortController();
    const pending = failure(
      bifrost.chatCompletion(
        { provider: 'anthropic', model, messages: [{ role: 'user', content: 'x' }] },
        { signal: controller.signal },
      ),
    );
    await expect.poll(() => fake.requests.length).toBe(1);
    controller.abort();
    expect(await pending).toMatchObject({ code: 'cancelled' });
  });

  it('accepts a base URL that ends in /v1 without doubling it', async () => {
    const bifrost = await engine({ network_config: { base_url: `${fake.url}/v1`, ...noRetries } });
    const answer = await bifrost.chatCompletion({
      provider: 'anthropic',
      model,
      messages: [{ role: 'user', content: 'v1' }],
    });
    expect(answer.choices[0]!.message.content).toBe('echo: v1');
    expect(fake.requests[0]!.path).toBe('/v1/messages');
  });

  it('passes anthropic-beta through from the parameters and from extra headers', async () => {
    const bifrost = await engine({
      network_config: {
        base_url: fake.url,
        extra_headers: { 'anthropic-beta': 'files-api-2025-04-14' },
        ...noRetries,
      },
    });
    await bifrost.chatCompletion({
      provider: 'anthropic',
      model,
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(fake.requests[0]!.headers['anthropic-beta']).toBe('files-api-2025-04-14');
    const plain = await engine();
    await plain.chatCompletion({
      provider: 'anthropic',
      model,
      messages: [{ role: 'user', content: 'x' }],
      params: { anthropic_beta: 'context-1m-2025-08-07' },
    });
    expect(fake.requests[1]!.headers['anthropic-beta']).toBe('context-1m-2025-08-07');
    expect(fake.requests[1]!.body).toEqual({
      model,
      max_tokens: 4096,
      messages: [{ role: 'user', content: 'x' }],
    });
  });

  it('lists models from GET /v1/models', async () => {
    const bifrost = await engine();
    const models = await bifrost.listModels('anthropic');
    expect(models.map((entry) => entry.id)).toEqual([
      'anthropic/claude-sonnet-4-5-20250929',
      'anthropic/claude-3-5-haiku-20241022',
    ]);
    expect(fake.requests[0]).toMatchObject({ method: 'GET', path: '/v1/models' });
    expect(fake.requests[0]!.query.get('limit')).toBe('1000');
    expect(fake.requests[0]!.headers['x-api-key']).toBe(apiKey);
  });
});
