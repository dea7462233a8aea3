import { Bifrost, type GatewayError } from '@bifrost/core';
import { type Account, type ChatRequest, type ChatStreamChunk, providerConfigSchema } from '@bifrost/schemas';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readCohereFixture } from '../packages/core/src/providers/cohere/__fixtures__/read-cohere-fixture.js';
import { type CohereUpstream, startCohereUpstream } from './support/cohere-upstream.js';

const apiKey = 'co-test-4f1d9a7b2c';
const model = 'command-a-03-2025';
const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'weather',
    description: 'Current weather for a location',
    parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
  },
};

let upstream: CohereUpstream;
let bifrost: Bifrost;

/** A one-provider account pointing Cohere at the fake, with a base URL written as a user might. */
function account(baseUrl: string, key = apiKey): Account {
  const config = providerConfigSchema.parse({
    keys: [{ value: key, models: [], weight: 1 }],
    network_config: { base_url: baseUrl },
  });
  return {
    getConfiguredProviders: () => ['cohere'],
    getKeysForProvider: () => config.keys,
    getConfigForProvider: () => config,
  };
}

beforeAll(async () => {
  upstream = await startCohereUpstream({ apiKeys: [apiKey] });
  bifrost = await Bifrost.init({ account: account(upstream.url) });
});
afterEach(() => upstream.reset());
afterAll(async () => {
  await bifrost.shutdown();
  await upstream.close();
});

async function collect(request: ChatRequest): Promise<ChatStreamChunk[]> {
  const chunks: ChatStreamChunk[] = [];
  for await (const chunk of await bifrost.chatCompletionStream(request)) chunks.push(chunk);
  return chunks;
}

async function failure(promise: Promise<unknown>): Promise<GatewayError> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: GatewayError) => error,
  );
}

describe('cohere through the engine', () => {
  it('sends a chat to /v2/chat with the bearer key and translates the answer', async () => {
    const answer = await bifrost.chatCompletion({
      provider: 'cohere',
      model,
      messages: [
        { role: 'system', content: 'You are concise.' },
        { role: 'user', content: 'Tell me about LLMs' },
      ],
      params: { temperature: 0.3, max_tokens: 200, stop: ['END'], top_p: 0.8, logit_bias: { '50256': -100 } },
    });
    expect(upstream.requests).toHaveLength(1);
    const sent = upstream.requests[0]!;
    expect([sent.method, sent.path, sent.query.toString()]).toEqual(['POST', '/v2/chat', '']);
    expect(sent.headers.authorization).toBe(`Bearer ${apiKey}`);
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.body).toEqual({
      model,
      messages: [
        { role: 'system', content: 'You are concise.' },
        { role: 'user', content: 'Tell me about LLMs' },
      ],
      temperature: 0.3,
      max_tokens: 200,
      stop_sequences: ['END'],
      p: 0.8,
    });
    expect(answer).toMatchObject({
      id: 'c14c80c3-18eb-4519-9460-6c92edd8cfb4',
      object: 'chat.completion',
      model,
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: expect.stringMatching(/^LLMs stand for Large Language Models/),
          },
          finish_reason: 'stop',
        },
      ],
      usage: {
        prompt_tokens: 215,
        completion_tokens: 22,
        total_tokens: 237,
        prompt_tokens_details: { cached_tokens: 192 },
      },
      extra_fields: { provider: 'cohere', model, warnings: ['cohere ignores logit_bias'] },
    });
  });

  it('streams text as OpenAI chunks in order, ending with the finish reason and usage', async () => {
    const chunks = await collect({
      provider: 'cohere',
      model,
      messages: [{ role: 'user', content: 'LLMs?' }],
    });
    expect(upstream.requests[0]?.body).toEqual({
      model,
      messages: [{ role: 'user', content: 'LLMs?' }],
      stream: true,
    });
    const id = '29f14a5a-11de-4cae-9800-25e4747408ea';
    const base = { id, object: 'chat.completion.chunk', created: expect.any(Number), model };
    expect(chunks).toEqual([
      { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] },
      { ...base, choices: [{ index: 0, delta: { content: 'Large' }, finish_reason: null }] },
      { ...base, choices: [{ index: 0, delta: { content: ' Language' }, finish_reason: null }] },
      { ...base, choices: [{ index: 0, delta: { content: ' Models.' }, finish_reason: null }] },
      {
        ...base,
        choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
        usage: { prompt_tokens: 215, completion_tokens: 3, total_tokens: 218 },
        extra_fields: expect.objectContaining({ provider: 'cohere', model }),
      },
    ]);
  });

  it('streams tool calls with id and name first, then arguments, under their index', async () => {
    upstream.enqueue({ kind: 'stream', events: readCohereFixture('chat-stream-tool-call-events') });
    const chunks = await collect({
      provider: 'cohere',
      model,
      messages: [{ role: 'user', content: 'Weather in San Francisco and Paris?' }],
      params: { tools: [weatherTool] },
    });
    const toolDeltas = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    expect(toolDeltas).toEqual([
      {
        index: 0,
        id: 'weather_e8p4pn45zt0t',
        type: 'function',
        function: { name: 'weather', arguments: '' },
      },
      { index: 0, function: { arguments: '{"location":' } },
      { index: 0, function: { arguments: ' "San Francisco"}' } },
      {
        index: 1,
        id: 'weather_pyxssbwnq9fq',
        type: 'function',
        function: { name: 'weather', arguments: '' },
      },
      { index: 1, function: { arguments: '{"location": "Paris"}' } },
    ]);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls');
    expect(chunks.at(-1)?.usage?.prompt_tokens_details).toEqual({ cached_tokens: 1504 });
  });

  it('round-trips a tool call: the replayed turn goes upstream in Cohere v2 shape', async () => {
    upstream.enqueue({ kind: 'json', body: readCohereFixture('chat-tool-call-response') });
    const question = {
      role: 'user' as const,
      content: "Sales summary for 29th September 2023, and the 'Electronics' products?",
    };
    const first = await bifrost.chatCompletion({
      provider: 'cohere',
      model,
      messages: [question],
      params: { tools: [weatherTool] },
    });
    const assistant = first.choices[0]!.message;
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');
    await bifrost.chatCompletion({
      provider: 'cohere',
      model,
      messages: [
        question,
        assistant,
        {
          role: 'tool',
          tool_call_id: 'query_daily_sales_report_rm9nt8mn3ta0',
          content: '{"total_sales": 10000}',
        },
        {
          role: 'tool',
          tool_call_id: 'query_product_catalog_9rzb4d5yjmk2',
          content: [{ type: 'text', text: '[]' }],
        },
      ],
      params: { tools: [weatherTool] },
    });
    expect(upstream.requests[1]?.body).toEqual({
      model,
      messages: [
        question,
        {
          role: 'assistant',
          tool_plan:
            "I will first find the sales summary for 29th September 2023. Then, I will find the details of the products in the 'Electronics' category.",
          tool_calls: [
            {
              id: 'query_daily_sales_report_rm9nt8mn3ta0',
              type: 'function',
              function: { name: 'query_daily_sales_report', arguments: '{"day":"2023-09-29"}' },
            },
            {
              id: 'query_product_catalog_9rzb4d5yjmk2',
              type: 'function',
              function: { name: 'query_product_catalog', arguments: '{"category":"Electronics"}' },
            },
          ],
        },
        {
          role: 'tool',
          tool_call_id: 'query_daily_sales_report_rm9nt8mn3ta0',
          content: '{"total_sales": 10000}',
        },
        {
          role: 'tool',
          tool_call_id: 'query_product_catalog_9rzb4d5yjmk2',
          content: [{ type: 'text', text: '[]' }],
        },
      ],
      tools: [weatherTool],
    });
  });

  it('sends images by URL and as base64 data URLs', async () => {
    await bifrost.chatCompletion({
      provider: 'cohere',
      model: 'command-a-vision-07-2025',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Describe these' },
            { type: 'image_url', image_url: { url: 'https://cohere.com/favicon-32x32.png', detail: 'auto' } },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==' } },
          ],
        },
      ],
    });
    expect((upstream.requests[0]!.body as { messages: unknown }).messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Describe these' },
          { type: 'image_url', image_url: { url: 'https://cohere.com/favicon-32x32.png', detail: 'auto' } },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==' } },
        ],
      },
    ]);
  });

  it('embeds through /v2/embed', async () => {
    const answer = await bifrost.embedding({
      provider: 'cohere',
      model: 'embed-v4.0',
      input: ['hello', 'goodbye'],
      params: { input_type: 'search_query' },
    });
    const sent = upstream.requests[0]!;
    expect([sent.method, sent.path, sent.headers.authorization]).toEqual([
      'POST',
      '/v2/embed',
      `Bearer ${apiKey}`,
    ]);
    expect(sent.body).toEqual({
      model: 'embed-v4.0',
      texts: ['hello', 'goodbye'],
      input_type: 'search_query',
      embedding_types: ['float'],
    });
    expect(answer.data.map((entry) => entry.index)).toEqual([0, 1]);
    expect(answer.usage).toEqual({ prompt_tokens: 2, total_tokens: 2 });
  });

  it("keeps Cohere's status, message and retry-after on a 429", async () => {
    upstream.enqueue({ kind: 'error', status: 429, headers: { 'retry-after': '3' } });
    const error = await failure(
      bifrost.chatCompletion({ provider: 'cohere', model, messages: [{ role: 'user', content: 'Hi' }] }),
    );
    expect(error).toMatchObject({
      code: 'rate_limited',
      statusCode: 429,
      provider: 'cohere',
      retryAfterMs: 3000,
      message: expect.stringContaining('You are using a Trial key'),
    });
  });

  it('passes on the 401 Cohere answers a wrong key with, without the key', async () => {
    const wrong = await Bifrost.init({ account: account(upstream.url, 'co-wrong-key-0000') });
    try {
      const error = await failure(
        wrong.chatCompletion({ provider: 'cohere', model, messages: [{ role: 'user', content: 'Hi' }] }),
      );
      expect(error).toMatchObject({ statusCode: 401, message: 'invalid api token' });
    } finally {
      await wrong.shutdown();
    }
  });

  it('stops a request Cohere never answers when the caller aborts', async () => {
    upstream.enqueue({ kind: 'hang' });
    const controller = new AbortController();
    const pending = failure(
      bifrost.chatCompletion(
        { provider: 'cohere', model, messages: [{ role: 'user', content: 'Hi' }] },
        { signal: controller.signal },
      ),
    );
    while (upstream.requests.length === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    expect(await pending).toMatchObject({ code: 'cancelled', provider: 'cohere' });
  });

  it('accepts a base URL that ends in the /v2 version segment without doubling it', async () => {
    const versioned = await Bifrost.init({ account: account(`${upstream.url}/v2`) });
    try {
      await versioned.chatCompletion({
        provider: 'cohere',
        model,
        messages: [{ role: 'user', content: 'Hi' }],
      });
      await versioned.listModels('cohere');
      expect(upstream.requests.map((request) => request.path)).toEqual(['/v2/chat', '/v1/models']);
    } finally {
      await versioned.shutdown();
    }
  });
});
