import { Bifrost, type GatewayError } from '@bifrost/core';
import { type Account, type ChatMessage, type ChatStreamChunk, providerConfigSchema } from '@bifrost/schemas';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type MistralUpstream,
  readMistralFixture,
  startMistralUpstream,
} from './support/mistral-upstream.js';

const apiKey = 'mistral-key-0123456789';
let fake: MistralUpstream;
let bifrost: Bifrost;

async function engine(baseUrl: string, key = apiKey): Promise<Bifrost> {
  const config = providerConfigSchema.parse({
    keys: [{ value: key }],
    network_config: { base_url: baseUrl },
  });
  const account: Account = {
    getConfiguredProviders: () => ['mistral'],
    getKeysForProvider: () => config.keys,
    getConfigForProvider: () => config,
  };
  return Bifrost.init({ account });
}

beforeAll(async () => {
  fake = await startMistralUpstream({ apiKeys: [apiKey] });
  bifrost = await engine(fake.url);
});
afterAll(async () => {
  await bifrost.shutdown();
  await fake.close();
});
beforeEach(() => fake.reset());

const question: ChatMessage[] = [{ role: 'user', content: 'What is the best French cheese?' }];

/** The messages of the n-th request the fake received. */
function sentMessages(index: number): Array<Record<string, unknown>> {
  return (fake.requests[index]!.body as { messages: Array<Record<string, unknown>> }).messages;
}

async function collect(stream: AsyncIterable<ChatStreamChunk>): Promise<unknown[]> {
  const chunks: unknown[] = [];
  for await (const { extra_fields: _extraFields, ...chunk } of stream) chunks.push(chunk);
  return chunks;
}

describe('mistral chat', () => {
  it('translates OpenAI’s parameters and roles into Mistral’s body', async () => {
    const answer = await bifrost.chatCompletion({
      provider: 'mistral',
      model: 'mistral-small-latest',
      messages: [{ role: 'developer', content: 'Answer briefly.' }, ...question],
      params: { temperature: 0.3, max_completion_tokens: 100, seed: 42, safe_prompt: true },
    });

    const [request] = fake.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.headers.authorization).toBe(`Bearer ${apiKey}`);
    expect(request?.body).toEqual({
      model: 'mistral-small-latest',
      temperature: 0.3,
      safe_prompt: true,
      max_tokens: 100,
      random_seed: 42,
      messages: [{ role: 'system', content: 'Answer briefly.' }, ...question],
      stream: false,
    });

    const { extra_fields, ...completion } = answer;
    expect(completion).toEqual({
      id: 'cmpl-e5cc70bb28c444948073e77776eb30ef',
      object: 'chat.completion',
      created: 1702256327,
      model: 'mistral-small-latest',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'The best French cheese depends on your personal preference. Comté is a classic choice.',
          },
          finish_reason: 'stop',
          logprobs: null,
        },
      ],
      usage: { prompt_tokens: 16, completion_tokens: 34, total_tokens: 50 },
    });
    expect(extra_fields.warnings).toBeUndefined();
  });

  it('drops the options Mistral lacks with a warning each, and asks for any tool as "any"', async () => {
    const tools = [{ type: 'function' as const, function: { name: 'now' } }];
    const answer = await bifrost.chatCompletion({
      provider: 'mistral',
      model: 'mistral-small-latest',
      messages: question,
      params: {
        logit_bias: { '50256': -100 },
        logprobs: true,
        user: 'user-1',
        n: 2,
        tools,
        tool_choice: 'required',
      },
    });
    expect(fake.requests[0]?.body).toEqual({
      model: 'mistral-small-latest',
      n: 2,
      tools: [
        { type: 'function', function: { name: 'now', parameters: { type: 'object', properties: {} } } },
      ],
      tool_choice: 'any',
      messages: question,
      stream: false,
    });
    expect(answer.extra_fields.warnings).toEqual([
      'mistral ignores logit_bias',
      'mistral ignores logprobs',
      'mistral ignores user',
    ]);
  });

  it('streams OpenAI chunks with the finish reason and usage on the last', async () => {
    const stream = await bifrost.chatCompletionStream({
      provider: 'mistral',
      model: 'mistral-small-latest',
      messages: question,
      params: { stream_options: { include_usage: true } },
    });
    const chunks = await collect(stream);
    expect(fake.requests[0]?.body).toEqual({
      model: 'mistral-small-latest',
      messages: question,
      stream: true,
    });
    expect(fake.requests[0]?.headers.accept).toBe('text/event-stream');
    const base = {
      id: 'cf79f7daaee244b1a0ae5c7b1444424a',
      object: 'chat.completion.chunk',
      created: 1711569045,
      model: 'mistral-small-latest',
    };
    expect(chunks).toEqual([
      { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] },
      { ...base, choices: [{ index: 0, delta: { content: 'Comté' }, finish_reason: null }] },
      { ...base, choices: [{ index: 0, delta: { content: ' is a classic.' }, finish_reason: null }] },
      {
        ...base,
        choices: [{ index: 0, delta: { content: '' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 10, completion_tokens: 6, total_tokens: 16 },
      },
    ]);
  });

  it('reports the options a stream dropped in the last chunk’s extra_fields', async () => {
    const stream = await bifrost.chatCompletionStream({
      provider: 'mistral',
      model: 'mistral-small-latest',
      messages: question,
      params: { logprobs: true, top_logprobs: 2 },
    });
    const chunks: ChatStreamChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(fake.requests[0]?.body).toEqual({
      model: 'mistral-small-latest',
      messages: question,
      stream: true,
    });
    expect(chunks.at(-1)?.extra_fields?.warnings).toEqual([
      'mistral ignores logprobs',
      'mistral ignores top_logprobs',
    ]);
  });

  it('numbers parallel tool calls that Mistral streams whole at index 0', async () => {
    fake.enqueue({ kind: 'sse', chunks: readMistralFixture<unknown[]>('chat-stream-tool-call-chunks') });
    const stream = await bifrost.chatCompletionStream({
      provider: 'mistral',
      model: 'mistral-large-latest',
      messages: question,
    });
    const chunks = (await collect(stream)) as ChatStreamChunk[];
    expect(chunks[1]?.choices[0]?.delta.tool_calls).toEqual([
      {
        index: 0,
        id: 'D681PevKs',
        type: 'function',
        function: { name: 'retrieve_payment_status', arguments: '{"transaction_id": "T1001"}' },
      },
      {
        index: 1,
        id: 'Rq2x8LmZ1',
        type: 'function',
        function: { name: 'retrieve_payment_date', arguments: '{"transaction_id": "T1001"}' },
      },
    ]);
    expect(chunks[2]?.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('ends with an error when the stream is cut short', async () => {
    const partial = readMistralFixture<unknown[]>('chat-stream-chunks').slice(0, 2);
    fake.enqueue({ kind: 'sse', chunks: partial, done: false });
    const stream = await bifrost.chatCompletionStream({
      provider: 'mistral',
      model: 'mistral-small-latest',
      messages: question,
    });
    await expect(collect(stream)).rejects.toMatchObject({ code: 'provider_error', statusCode: 502 });
  });
});

describe('mistral reasoning', () => {
  it('turns thinking chunks into reasoning and sends reasoning back as thinking', async () => {
    fake.enqueue({ kind: 'json', body: readMistralFixture('chat-completion-reasoning') });
    const answer = await bifrost.chatCompletion({
      provider: 'mistral',
      model: 'magistral-medium-latest',
      messages: [{ role: 'user', content: 'John has 4 sisters. How many brothers do they have?' }],
      params: { prompt_mode: 'reasoning' },
    });
    const message = answer.choices[0]!.message;
    expect(message).toEqual({
      role: 'assistant',
      content: "John's sisters have **1 brother** (John himself).",
      reasoning: 'John has 4 sisters, so there are 4 girls. Each sister has 1 brother: John. ',
    });

    await bifrost.chatCompletion({
      provider: 'mistral',
      model: 'magistral-medium-latest',
      messages: [{ role: 'user', content: 'Sisters?' }, message, { role: 'user', content: 'And John?' }],
    });
    expect(sentMessages(1)[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: [{ type: 'text', text: message.reasoning }] },
        { type: 'text', text: message.content },
      ],
    });
  });

  it('streams thinking as reasoning deltas', async () => {
    fake.enqueue({ kind: 'sse', chunks: readMistralFixture<unknown[]>('chat-stream-reasoning-chunks') });
    const stream = await bifrost.chatCompletionStream({
      provider: 'mistral',
      model: 'magistral-small-latest',
      messages: question,
    });
    const deltas = ((await collect(stream)) as ChatStreamChunk[]).map((chunk) => chunk.choices[0]?.delta);
    expect(deltas).toEqual([
      { role: 'assistant', content: '' },
      { reasoning: 'Each sister has ' },
      { reasoning: 'one brother.' },
      { content: 'One brother.' },
      { content: '' },
    ]);
  });
});

describe('mistral tools and images', () => {
  const tools = [
    {
      type: 'function' as const,
      function: {
        name: 'retrieve_payment_status',
        description: 'Get payment status of a transaction',
        parameters: {
          type: 'object',
          properties: { transaction_id: { type: 'string' } },
          required: ['transaction_id'],
        },
      },
    },
  ];

  it('replays a tool call round trip with the function name on the tool message', async () => {
    fake.enqueue({ kind: 'json', body: readMistralFixture('chat-completion-tool-call') });
    const first = await bifrost.chatCompletion({
      provider: 'mistral',
      model: 'mistral-large-latest',
      messages: [{ role: 'user', content: "What's the status of my transaction T1001?" }],
      params: { tools, tool_choice: 'auto', parallel_tool_calls: false },
    });
    const assistant = first.choices[0]!.message;
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');
    expect(assistant).toEqual({
      role: 'assistant',
      content: '',
      tool_calls: [
        {
          id: 'D681PevKs',
          type: 'function',
          function: { name: 'retrieve_payment_status', arguments: '{"transaction_id": "T1001"}' },
        },
      ],
    });

    await bifrost.chatCompletion({
      provider: 'mistral',
      model: 'mistral-large-latest',
      messages: [
        { role: 'user', content: "What's the status of my transaction T1001?" },
        assistant,
        { role: 'tool', tool_call_id: 'D681PevKs', content: '{"status": "Paid"}' },
      ],
      params: { tools },
    });
    expect(fake.requests[1]?.body).toEqual({
      model: 'mistral-large-latest',
      tools,
      messages: [
        { role: 'user', content: "What's the status of my transaction T1001?" },
        {
          role: 'assistant',
          content: '',
          tool_calls: [
            {
              id: 'D681PevKs',
              type: 'function',
              function: { name: 'retrieve_payment_status', arguments: '{"transaction_id": "T1001"}' },
            },
          ],
        },
        {
          role: 'tool',
          content: '{"status": "Paid"}',
          tool_call_id: 'D681PevKs',
          name: 'retrieve_payment_status',
        },
      ],
      stream: false,
    });
  });

  it('rewrites tool call ids from other providers to nine alphanumeric characters, consistently', async () => {
    const answer = await bifrost.chatCompletion({
      provider: 'mistral',
      model: 'mistral-large-latest',
      messages: [
        { role: 'user', content: 'Status of T1001?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_abc123',
              type: 'function',
              function: { name: 'retrieve_payment_status', arguments: '{}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_abc123', content: 'Paid' },
      ],
    });
    const messages = sentMessages(0);
    const rewritten = (messages[1]!.tool_calls as Array<{ id: string }>)[0]!.id;
    expect(rewritten).toMatch(/^[a-zA-Z0-9]{9}$/);
    expect(messages[2]?.tool_call_id).toBe(rewritten);
    expect(answer.extra_fields.warnings).toEqual([
      'mistral accepts only 9-character alphanumeric tool call ids: replayed ids were rewritten',
    ]);
  });

  it('sends image parts by URL and as base64 data URLs to Pixtral', async () => {
    const messages: ChatMessage[] = [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Compare these images.' },
          {
            type: 'image_url',
            image_url: { url: 'https://tripfixers.com/wp-content/uploads/2019/11/eiffel-tower.jpg' },
          },
          {
            type: 'image_url',
            image_url: { url: 'data:image/jpeg;base64,/9j/4AAQSkZJRg==', detail: 'high' },
          },
        ],
      },
    ];
    await bifrost.chatCompletion({ provider: 'mistral', model: 'pixtral-12b-2409', messages });
    expect(fake.requests[0]?.body).toEqual({ model: 'pixtral-12b-2409', messages, stream: false });
  });
});

describe('mistral embeddings, models and base URL', () => {
  it('translates dimensions into output_dimension and warns about user', async () => {
    const answer = await bifrost.embedding({
      provider: 'mistral',
      model: 'mistral-embed',
      input: ['Embed this sentence.', 'As well as this one.'],
      params: { dimensions: 256, encoding_format: 'float', user: 'user-1' },
    });
    expect(fake.requests[0]?.path).toBe('/v1/embeddings');
    expect(fake.requests[0]?.body).toEqual({
      model: 'mistral-embed',
      input: ['Embed this sentence.', 'As well as this one.'],
      output_dimension: 256,
      encoding_format: 'float',
    });
    expect(answer.data).toHaveLength(2);
    expect(answer.extra_fields.warnings).toEqual(['mistral ignores user']);
  });

  it('lists models from GET /v1/models', async () => {
    const models = await bifrost.listModels('mistral');
    expect(fake.requests[0]).toMatchObject({ method: 'GET', path: '/v1/models' });
    expect(models.map((model) => model.id)).toEqual([
      'mistral/mistral-small-latest',
      'mistral/mistral-embed',
    ]);
  });

  it('does not double a base URL that ends in /v1', async () => {
    const versioned = await engine(`${fake.url}/v1`);
    try {
      await versioned.chatCompletion({
        provider: 'mistral',
        model: 'mistral-small-latest',
        messages: question,
      });
      expect(fake.requests[0]?.path).toBe('/v1/chat/completions');
    } finally {
      await versioned.shutdown();
    }
  });

  it('refuses text completions before sending anything', async () => {
    const failure = bifrost.textCompletion({
      provider: 'mistral',
      model: 'codestral-latest',
      text: 'def f(',
    });
    await expect(failure).rejects.toMatchObject({ code: 'invalid_request', statusCode: 400 });
    expect(fake.requests).toHaveLength(0);
  });
});

describe('mistral errors', () => {
  it('keeps a 429’s type, code and Retry-After', async () => {
    fake.enqueue({
      kind: 'json',
      status: 429,
      body: readMistralFixture('error-429-rate-limit'),
      headers: { 'retry-after': '2' },
    });
    const failure = bifrost.chatCompletion({
      provider: 'mistral',
      model: 'mistral-small-latest',
      messages: question,
    });
    await expect(failure).rejects.toMatchObject({
      code: 'rate_limited',
      statusCode: 429,
      upstreamType: 'rate_limited',
      upstreamCode: '1300',
      retryAfterMs: 2000,
      message: 'Rate limit exceeded',
    });
  });

  it('reads a 422 validation body into a message naming the field', async () => {
    fake.enqueue({ kind: 'json', status: 422, body: readMistralFixture('error-422-validation') });
    const failure = bifrost.chatCompletion({
      provider: 'mistral',
      model: 'mistral-small-latest',
      messages: question,
    });
    await expect(failure).rejects.toMatchObject({
      code: 'invalid_request',
      statusCode: 422,
      upstreamType: 'invalid_request_error',
      param: 'messages',
      message: 'messages: Field required',
    });
  });

  it('answers a wrong key with Mistral’s 401 and no trace of the key', async () => {
    const wrong = await engine(fake.url, 'wrong-key-0123456789');
    try {
      const error = (await wrong
        .chatCompletion({ provider: 'mistral', model: 'mistral-small-latest', messages: question })
        .catch((caught: unknown) => caught)) as GatewayError;
      expect(error).toMatchObject({
        code: 'authentication_failed',
        statusCode: 401,
        message: 'Unauthorized',
      });
    } finally {
      await wrong.shutdown();
    }
  });
});
