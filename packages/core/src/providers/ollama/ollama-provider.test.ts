import { providerConfigSchema } from '@bifrost/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProviderConfigInput } from '../../testing/memory-account.js';
import { MockUpstream } from '../../testing/mock-upstream.js';
import { rejection } from '../../testing/rejection.js';
import { readOllamaFixture } from './__fixtures__/read-ollama-fixture.js';
import { OllamaProvider } from './ollama-provider.js';

const ollama = 'http://localhost:11434';
const keyless = { value: '', models: [], weight: 1 };
const messages = [{ role: 'user' as const, content: 'why is the sky blue?' }];

let upstream: MockUpstream;
beforeEach(() => {
  upstream = new MockUpstream();
});
afterEach(async () => {
  await upstream.agent.close();
});

function provider(config: ProviderConfigInput = {}): OllamaProvider {
  let next = 0;
  return new OllamaProvider(providerConfigSchema.parse(config), upstream.agent, {
    now: () => 1700000000000,
    createId: () => `chatcmpl-${++next}`,
  });
}

describe('OllamaProvider', () => {
  it('posts a keyless chat to /api/chat with stream false and translates the answer', async () => {
    upstream.reply(ollama, '/api/chat', 200, readOllamaFixture('chat-response'));
    const answer = await provider().chatCompletion(
      { provider: 'ollama', model: 'llama3.2', messages, params: { temperature: 0 } },
      { key: keyless },
    );
    expect(upstream.requests).toEqual([
      {
        origin: ollama,
        method: 'POST',
        path: '/api/chat',
        headers: { 'content-type': 'application/json' },
        body: { model: 'llama3.2', messages, options: { temperature: 0 }, stream: false },
      },
    ]);
    expect(answer).toEqual({
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: Math.floor(Date.parse('2023-12-12T14:13:43.416799Z') / 1000),
      model: 'llama3.2',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hello! How are you today?' },
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 26, completion_tokens: 298, total_tokens: 324 },
    });
  });

  it('sends a configured key as a bearer token, for an Ollama behind a proxy', async () => {
    upstream.reply('https://ollama.example.com', '/api/chat', 200, readOllamaFixture('chat-response'));
    await provider({ network_config: { base_url: 'https://ollama.example.com' } }).chatCompletion(
      { provider: 'ollama', model: 'llama3.2', messages },
      { key: { value: 'proxy-token-1', models: [], weight: 1 } },
    );
    expect(upstream.requests[0]?.headers.authorization).toBe('Bearer proxy-token-1');
  });

  it('gives tool calls ids and JSON arguments, and finishes with tool_calls', async () => {
    upstream.reply(ollama, '/api/chat', 200, readOllamaFixture('chat-tool-call-response'));
    const answer = await provider().chatCompletion(
      { provider: 'ollama', model: 'llama3.2', messages },
      { key: keyless },
    );
    expect(answer.choices[0]).toEqual({
      index: 0,
      message: {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_0',
            type: 'function',
            function: {
              name: 'get_current_weather',
              arguments: '{"format":"celsius","location":"Paris, FR"}',
            },
          },
        ],
      },
      finish_reason: 'tool_calls',
    });
  });

  it('puts thinking in reasoning', async () => {
    upstream.reply(ollama, '/api/chat', 200, readOllamaFixture('chat-thinking-response'));
    const answer = await provider().chatCompletion(
      { provider: 'ollama', model: 'deepseek-r1', messages },
      { key: keyless },
    );
    expect(answer.choices[0]?.message.reasoning).toMatch(/^First, the question is/);
  });

  it('completes text through /api/generate', async () => {
    upstream.reply(ollama, '/api/generate', 200, readOllamaFixture('generate-response'));
    const answer = await provider().textCompletion(
      {
        provider: 'ollama',
        model: 'llama3.2',
        text: 'Why is the sky blue?',
        params: { max_tokens: 50, suffix: '.' },
      },
      { key: keyless },
    );
    expect(upstream.requests[0]?.body).toEqual({
      model: 'llama3.2',
      prompt: 'Why is the sky blue?',
      stream: false,
      options: { num_predict: 50 },
      suffix: '.',
    });
    expect(answer).toEqual({
      id: 'chatcmpl-1',
      object: 'text_completion',
      created: Math.floor(Date.parse('2023-08-04T19:22:45.499127Z') / 1000),
      model: 'llama3.2',
      choices: [
        { index: 0, text: 'The sky is blue because it is the color of the sky.', finish_reason: 'stop' },
      ],
      usage: { prompt_tokens: 26, completion_tokens: 290, total_tokens: 316 },
    });
  });

  it('embeds through /api/embed, packing floats as base64 when asked', async () => {
    upstream.reply(ollama, '/api/embed', 200, readOllamaFixture('embed-response'));
    upstream.reply(ollama, '/api/embed', 200, readOllamaFixture('embed-response'));
    const floats = await provider().embedding(
      { provider: 'ollama', model: 'all-minilm', input: ['a', 'b'], params: { dimensions: 5 } },
      { key: keyless },
    );
    expect(upstream.requests[0]?.body).toEqual({ model: 'all-minilm', input: ['a', 'b'], dimensions: 5 });
    expect(floats.data[0]).toEqual({
      object: 'embedding',
      index: 0,
      embedding: [0.010071029, -0.0017594862, 0.05007221, 0.04692972, 0.054916814],
    });
    expect(floats.usage).toEqual({ prompt_tokens: 8, total_tokens: 8 });
    const packed = await provider().embedding(
      { provider: 'ollama', model: 'all-minilm', input: ['a', 'b'], params: { encoding_format: 'base64' } },
      { key: keyless },
    );
    const bytes = Buffer.from(packed.data[0]?.embedding as string, 'base64');
    expect(Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, 5))).toEqual(
      Array.from(Float32Array.from([0.010071029, -0.0017594862, 0.05007221, 0.04692972, 0.054916814])),
    );
  });

  it('lists local models from /api/tags', async () => {
    upstream.reply(ollama, '/api/tags', 200, readOllamaFixture('tags'), { method: 'GET' });
    const models = await provider().listModels({ key: keyless });
    expect(models.map((model) => model.id)).toEqual(['ollama/deepseek-r1:latest', 'ollama/llama3.2:latest']);
  });

  it("keeps Ollama's status and message on an error", async () => {
    upstream.reply(ollama, '/api/chat', 404, readOllamaFixture('error-404'));
    const error = await rejection(
      provider().chatCompletion({ provider: 'ollama', model: 'llama3.3', messages }, { key: keyless }),
    );
    expect(error).toMatchObject({
      statusCode: 404,
      provider: 'ollama',
      message: "model 'llama3.3' not found",
    });
  });
});
