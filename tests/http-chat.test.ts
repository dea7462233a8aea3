import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayProcess, startGateway } from './support/gateway-process.js';
import { embeddingOf } from './support/openai-default-replies.js';
import { readOpenAIFixture } from './support/openai-fixtures.js';
import { type OpenAIUpstream, startOpenAIUpstream } from './support/openai-upstream.js';
import { getJson, postJson } from './support/post-json.js';

const apiKey = 'sk-chat-suite-key';
const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Get the current temperature for a given location.',
    parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
  },
};

let upstream: OpenAIUpstream;
let gateway: GatewayProcess;

function gatewayConfig(baseUrl: string) {
  return {
    providers: {
      openai: { keys: [{ value: 'env.TEST_OPENAI_KEY' }], network_config: { base_url: baseUrl } },
    },
  };
}

beforeAll(async () => {
  upstream = await startOpenAIUpstream({ apiKeys: [apiKey] });
  gateway = await startGateway({ config: gatewayConfig(upstream.url), env: { TEST_OPENAI_KEY: apiKey } });
});
afterEach(() => upstream.reset());
afterAll(async () => {
  await gateway?.stop();
  await upstream?.close();
});

describe('chat completions', () => {
  it('sends a v1.0 request upstream with its params flattened and the key from the environment', async () => {
    const answer = await postJson(`${gateway.url}/v1/chat/completions`, {
      provider: 'openai',
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hello there' }],
      params: { temperature: 0.2, max_tokens: 50 },
    });

    expect(answer.status).toBe(200);
    expect(upstream.requests).toHaveLength(1);
    const [request] = upstream.requests;
    expect(request!.method).toBe('POST');
    expect(request!.path).toBe('/v1/chat/completions');
    expect(request!.headers.authorization).toBe(`Bearer ${apiKey}`);
    expect(request!.headers['content-type']).toMatch(/^application\/json/);
    expect(request!.body).toEqual({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hello there' }],
      temperature: 0.2,
      max_tokens: 50,
    });
  });

  it('sends a v1.1 request upstream without the provider prefix, passing unknown fields through', async () => {
    const answer = await postJson(`${gateway.url}/v1/chat/completions`, {
      model: 'openai/gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello there' },
      ],
      temperature: 0.2,
      user: 'user-1234',
      logit_bias: { '50256': -100 },
      a_future_parameter: { nested: [1, 2] },
    });

    expect(answer.status).toBe(200);
    expect(upstream.requests.map((request) => request.path)).toEqual(['/v1/chat/completions']);
    expect(upstream.requests[0]!.body).toEqual({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello there' },
      ],
      temperature: 0.2,
      user: 'user-1234',
      logit_bias: { '50256': -100 },
      a_future_parameter: { nested: [1, 2] },
    });
  });

  it("answers in OpenAI's shape with the gateway's extra_fields and x-bf-retries", async () => {
    const answer = await postJson(`${gateway.url}/v1/chat/completions`, {
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hello there' }],
    });

    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expect(answer.headers.get('x-bf-retries')).toBe('0');
    const completion = readOpenAIFixture<Record<string, unknown>>('chat-completion');
    expect(answer.body).toMatchObject({
      id: expect.stringMatching(/^chatcmpl-/),
      object: 'chat.completion',
      created: completion.created,
      model: 'gpt-4o-mini',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'echo: Hello there', refusal: null },
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 },
    });
    expect(answer.body.extra_fields).toEqual({
      provider: 'openai',
      model: 'gpt-4o-mini',
      latency: expect.any(Number),
    });
    expect(answer.body.extra_fields.latency).toBeGreaterThan(0);
  });

  it('round-trips a tool call: the tool choice goes up, the call comes back, the result goes up', async () => {
    const messages = [{ role: 'user', content: 'Weather in Paris?' }];
    const first = await postJson(`${gateway.url}/v1/chat/completions`, {
      model: 'openai/gpt-4o-mini',
      messages,
      tools: [weatherTool],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
    });

    expect(first.status).toBe(200);
    expect(upstream.requests[0]!.body).toEqual({
      model: 'gpt-4o-mini',
      messages,
      tools: [weatherTool],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
    });
    const choice = first.body.choices[0];
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.tool_calls).toEqual([
      {
        id: expect.stringMatching(/^call_/),
        type: 'function',
        function: { name: 'get_weather', arguments: JSON.stringify({ echo: 'Weather in Paris?' }) },
      },
    ]);

    const toolCall = choice.message.tool_calls[0];
    const followUp = [
      ...messages,
      { role: 'assistant', content: null, tool_calls: [toolCall] },
      { role: 'tool', tool_call_id: toolCall.id, content: '{"celsius":21}' },
    ];
    const second = await postJson(`${gateway.url}/v1/chat/completions`, {
      model: 'openai/gpt-4o-mini',
      messages: followUp,
      tools: [weatherTool],
    });

    expect(second.status).toBe(200);
    expect(upstream.requests[1]!.body).toEqual({
      model: 'gpt-4o-mini',
      messages: followUp,
      tools: [weatherTool],
    });
    expect(second.body.choices[0].message.content).toBe('echo: Weather in Paris?');
  });

  it('passes an image content part through unchanged', async () => {
    const content = [
      { type: 'text', text: 'What is in this image?' },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'low' } },
    ];
    const answer = await postJson(`${gateway.url}/v1/chat/completions`, {
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content }],
    });

    expect(answer.status).toBe(200);
    expect(upstream.requests[0]!.body).toEqual({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content }],
    });
    expect(answer.body.choices[0].message.content).toBe('echo: What is in this image?');
  });

  it('passes response_format json_object through', async () => {
    const answer = await postJson(`${gateway.url}/v1/chat/completions`, {
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'Answer in JSON' }],
      response_format: { type: 'json_object' },
    });

    expect(answer.status).toBe(200);
    expect(upstream.requests[0]!.body).toMatchObject({ response_format: { type: 'json_object' } });
  });
});

describe('base_url', () => {
  it.each([
    ['the origin', ''],
    ['the origin plus /v1', '/v1'],
  ])('reaches /v1/chat/completions exactly once when given as %s', async (_label, suffix) => {
    const other = await startGateway({
      config: gatewayConfig(`${upstream.url}${suffix}`),
      env: { TEST_OPENAI_KEY: apiKey },
    });
    try {
      const answer = await postJson(`${other.url}/v1/chat/completions`, {
        model: 'openai/gpt-4o-mini',
        messages: [{ role: 'user', content: 'Hi' }],
      });
      expect(answer.status).toBe(200);
      expect(upstream.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
        'POST /v1/chat/completions',
      ]);
    } finally {
      await other.stop();
    }
  });
});

describe('text completions', () => {
  it('sends the text as `prompt` to /v1/completions', async () => {
    const answer = await postJson(`${gateway.url}/v1/text/completions`, {
      model: 'openai/gpt-3.5-turbo-instruct',
      text: 'Say this is a test',
      max_tokens: 7,
    });

    expect(answer.status).toBe(200);
    expect(upstream.requests.map((request) => request.path)).toEqual(['/v1/completions']);
    expect(upstream.requests[0]!.headers.authorization).toBe(`Bearer ${apiKey}`);
    expect(upstream.requests[0]!.body).toEqual({
      model: 'gpt-3.5-turbo-instruct',
      prompt: 'Say this is a test',
      max_tokens: 7,
    });
    expect(answer.body).toMatchObject({
      object: 'text_completion',
      model: 'gpt-3.5-turbo-instruct',
      choices: [{ index: 0, text: 'echo: Say this is a test', finish_reason: 'stop' }],
      extra_fields: { provider: 'openai', model: 'gpt-3.5-turbo-instruct' },
    });
    expect(answer.headers.get('x-bf-retries')).toBe('0');
  });

  it("accepts OpenAI's `prompt` field as well", async () => {
    const answer = await postJson(`${gateway.url}/v1/text/completions`, {
      model: 'openai/gpt-3.5-turbo-instruct',
      prompt: ['one', 'two'],
    });

    expect(answer.status).toBe(200);
    expect(upstream.requests[0]!.body).toEqual({ model: 'gpt-3.5-turbo-instruct', prompt: ['one', 'two'] });
    expect(answer.body.choices.map((choice: { text: string }) => choice.text)).toEqual([
      'echo: one',
      'echo: two',
    ]);
  });
});

describe('embeddings', () => {
  it('sends the input and parameters to /v1/embeddings and returns the vectors', async () => {
    const answer = await postJson(`${gateway.url}/v1/embeddings`, {
      model: 'openai/text-embedding-3-small',
      input: ['first text', 'second text'],
      dimensions: 4,
    });

    expect(answer.status).toBe(200);
    expect(upstream.requests.map((request) => request.path)).toEqual(['/v1/embeddings']);
    expect(upstream.requests[0]!.body).toEqual({
      model: 'text-embedding-3-small',
      input: ['first text', 'second text'],
      dimensions: 4,
    });
    expect(answer.body).toMatchObject({
      object: 'list',
      model: 'text-embedding-3-small',
      data: [
        { object: 'embedding', index: 0, embedding: embeddingOf('first text', 4) },
        { object: 'embedding', index: 1, embedding: embeddingOf('second text', 4) },
      ],
      extra_fields: { provider: 'openai', model: 'text-embedding-3-small' },
    });
  });
});

describe('models and health', () => {
  it('lists the upstream models prefixed with the provider', async () => {
    const answer = await getJson(`${gateway.url}/v1/models`);

    expect(answer.status).toBe(200);
    expect(upstream.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'GET /v1/models',
    ]);
    expect(upstream.requests[0]!.headers.authorization).toBe(`Bearer ${apiKey}`);
    const ids = readOpenAIFixture<{ data: { id: string }[] }>('models').data.map(
      (model) => `openai/${model.id}`,
    );
    expect(answer.body).toEqual({
      object: 'list',
      data: ids.map((id) => ({
        id,
        object: 'model',
        created: expect.any(Number),
        owned_by: expect.any(String),
      })),
    });
  });

  it('answers GET /health without calling the upstream', async () => {
    const answer = await getJson(`${gateway.url}/health`);

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ status: 'ok' });
    expect(upstream.requests).toHaveLength(0);
  });
});
