import { Bifrost, type GatewayError } from '@bifrost/core';
import { type Account, type ChatRequest, type ChatStreamChunk, providerConfigSchema } from '@bifrost/schemas';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readOllamaFixture } from '../packages/core/src/providers/ollama/__fixtures__/read-ollama-fixture.js';
import { type OllamaUpstream, startOllamaUpstream } from './support/ollama-upstream.js';

const model = 'llama3.2';
const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_current_weather',
    description: 'Get the current weather for a location',
    parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
  },
};

let upstream: OllamaUpstream;
let bifrost: Bifrost;

/** A keyless Ollama account, as the embedded default config writes it, pointing at the fake. */
function account(baseUrl: string, keys: { value: string; models: string[]; weight: number }[] = []): Account {
  const config = providerConfigSchema.parse({ keys, network_config: { base_url: baseUrl } });
  return {
    getConfiguredProviders: () => ['ollama'],
    getKeysForProvider: () => config.keys,
    getConfigForProvider: () => config,
  };
}

beforeAll(async () => {
  upstream = await startOllamaUpstream();
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

describe('ollama through the engine', () => {
  it('sends a keyless chat to /api/chat and translates the answer', async () => {
    const answer = await bifrost.chatCompletion({
      provider: 'ollama',
      model,
      messages: [{ role: 'user', content: 'Hello!' }],
      params: { seed: 101, temperature: 0, max_completion_tokens: 64, reasoning_effort: 'low', user: 'u-1' },
    });
    const sent = upstream.requests[0]!;
    expect([sent.method, sent.path, sent.query.toString()]).toEqual(['POST', '/api/chat', '']);
    expect(sent.headers.authorization).toBeUndefined();
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.body).toEqual({
      model,
      messages: [{ role: 'user', content: 'Hello!' }],
      options: { seed: 101, temperature: 0, num_predict: 64 },
      think: 'low',
      stream: false,
    });
    expect(answer).toEqual({
      id: expect.stringMatching(/^chatcmpl-/),
      object: 'chat.completion',
      created: Math.floor(Date.parse('2023-12-12T14:13:43.416799Z') / 1000),
      model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hello! How are you today?' },
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 26, completion_tokens: 298, total_tokens: 324 },
      extra_fields: expect.objectContaining({ provider: 'ollama', model, warnings: ['ollama ignores user'] }),
    });
  });

  it('streams NDJSON lines as OpenAI chunks in order, ending with the finish reason and usage', async () => {
    const chunks = await collect({
      provider: 'ollama',
      model,
      messages: [{ role: 'user', content: 'why is the sky blue?' }],
    });
    expect(upstream.requests[0]?.body).toEqual({
      model,
      messages: [{ role: 'user', content: 'why is the sky blue?' }],
      stream: true,
    });
    const id = chunks[0]?.id;
    expect(id).toMatch(/^chatcmpl-/);
    const base = {
      id,
      object: 'chat.completion.chunk',
      created: Math.floor(Date.parse('2023-08-04T08:52:19.385406455-07:00') / 1000),
      model,
    };
    expect(chunks).toEqual([
      { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] },
      { ...base, choices: [{ index: 0, delta: { content: 'The' }, finish_reason: null }] },
      { ...base, choices: [{ index: 0, delta: { content: ' sky' }, finish_reason: null }] },
      { ...base, choices: [{ index: 0, delta: { content: ' is blue.' }, finish_reason: null }] },
      {
        ...base,
        choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
        usage: { prompt_tokens: 26, completion_tokens: 282, total_tokens: 308 },
        extra_fields: expect.objectContaining({ provider: 'ollama', model }),
      },
    ]);
  });

  it('streams a tool call whole with a generated id, and fails a stream cut short', async () => {
    upstream.enqueue({ kind: 'stream', lines: readOllamaFixture('chat-stream-tool-call-lines') });
    const chunks = await collect({
      provider: 'ollama',
      model: 'qwen3',
      messages: [{ role: 'user', content: 'Weather in Toronto?' }],
      params: { tools: [weatherTool] },
    });
    expect(chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? [])).toEqual([
      {
        index: 0,
        id: 'call_0',
        type: 'function',
        function: { name: 'get_weather', arguments: '{"city":"Toronto"}' },
      },
    ]);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls');

    upstream.enqueue({
      kind: 'stream',
      lines: readOllamaFixture<unknown[]>('chat-stream-lines').slice(0, 2),
    });
    await expect(
      collect({ provider: 'ollama', model, messages: [{ role: 'user', content: 'Hi' }] }),
    ).rejects.toThrow('ollama closed the stream before it finished');
  });

  it('round-trips a tool call: the replayed turn carries object arguments and the tool name', async () => {
    upstream.enqueue({ kind: 'json', body: readOllamaFixture('chat-tool-call-response') });
    const question = { role: 'user' as const, content: 'What is the weather today in Paris?' };
    const first = await bifrost.chatCompletion({
      provider: 'ollama',
      model,
      messages: [question],
      params: { tools: [weatherTool] },
    });
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');
    const assistant = first.choices[0]!.message;
    await bifrost.chatCompletion({
      provider: 'ollama',
      model,
      messages: [
        question,
        assistant,
        { role: 'tool', tool_call_id: 'call_0', content: '22 degrees celsius' },
      ],
      params: { tools: [weatherTool] },
    });
    expect(upstream.requests[1]?.body).toEqual({
      model,
      messages: [
        question,
        {
          role: 'assistant',
          content: '',
          tool_calls: [
            {
              function: {
                name: 'get_current_weather',
                arguments: { format: 'celsius', location: 'Paris, FR' },
              },
            },
          ],
        },
        { role: 'tool', content: '22 degrees celsius', tool_name: 'get_current_weather' },
      ],
      tools: [weatherTool],
      stream: false,
    });
  });

  it('sends a base64 image and skips an image URL with a warning', async () => {
    const answer = await bifrost.chatCompletion({
      provider: 'ollama',
      model: 'llava',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'what is in this image?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==' } },
            { type: 'image_url', image_url: { url: 'https://example.com/pig.png' } },
          ],
        },
      ],
    });
    expect((upstream.requests[0]!.body as { messages: unknown }).messages).toEqual([
      { role: 'user', content: 'what is in this image?', images: ['iVBORw0KGgoAAAANSUhEUg=='] },
    ]);
    expect(answer.extra_fields.warnings).toEqual([
      'ollama takes images only as base64 data URLs; skipped an image URL',
    ]);
  });

  it('embeds through /api/embed and completes text through /api/generate', async () => {
    const embedded = await bifrost.embedding({ provider: 'ollama', model: 'all-minilm', input: ['a', 'b'] });
    const completed = await bifrost.textCompletion({
      provider: 'ollama',
      model,
      text: 'Why is the sky blue?',
    });
    expect(upstream.requests.map((request) => [request.path, request.body])).toEqual([
      ['/api/embed', { model: 'all-minilm', input: ['a', 'b'] }],
      ['/api/generate', { model, prompt: 'Why is the sky blue?', stream: false }],
    ]);
    expect(embedded.data).toHaveLength(2);
    expect(embedded.usage).toEqual({ prompt_tokens: 8, total_tokens: 8 });
    expect(completed.choices).toEqual([
      { index: 0, text: 'The sky is blue because it is the color of the sky.', finish_reason: 'stop' },
    ]);
  });

  it("keeps Ollama's status and message on an error", async () => {
    upstream.enqueue({ kind: 'error', status: 404, message: "model 'llama3.3' not found" });
    const error = await failure(
      bifrost.chatCompletion({
        provider: 'ollama',
        model: 'llama3.3',
        messages: [{ role: 'user', content: 'Hi' }],
      }),
    );
    expect(error).toMatchObject({
      statusCode: 404,
      provider: 'ollama',
      message: "model 'llama3.3' not found",
    });
  });

  it('keeps status and retry-after of a 429 from a proxy in front of Ollama, which gets the key as a bearer token', async () => {
    const proxied = await startOllamaUpstream({ apiKeys: ['proxy-key-9b1c'] });
    const engine = await Bifrost.init({
      account: account(proxied.url, [{ value: 'proxy-key-9b1c', models: [], weight: 1 }]),
    });
    try {
      proxied.enqueue({
        kind: 'error',
        status: 429,
        message: 'too many requests',
        headers: { 'retry-after': '2' },
      });
      const error = await failure(
        engine.chatCompletion({ provider: 'ollama', model, messages: [{ role: 'user', content: 'Hi' }] }),
      );
      expect(error).toMatchObject({
        statusCode: 429,
        code: 'rate_limited',
        retryAfterMs: 2000,
        message: 'too many requests',
      });
      expect(proxied.requests[0]?.headers.authorization).toBe('Bearer proxy-key-9b1c');
    } finally {
      await engine.shutdown();
      await proxied.close();
    }
  });

  it('lists local models from /api/tags', async () => {
    const models = await bifrost.listModels('ollama');
    expect(upstream.requests[0]?.path).toBe('/api/tags');
    expect(models.map((entry) => entry.id)).toEqual(['ollama/deepseek-r1:latest', 'ollama/llama3.2:latest']);
  });
});
