import { type ChatStreamChunk, providerConfigSchema } from '@bifrost/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProviderConfigInput } from '../../testing/memory-account.js';
import { MockUpstream, sseBody } from '../../testing/mock-upstream.js';
import type { ProviderStream } from '../provider.js';
import { readGeminiFixture } from './__fixtures__/read-gemini-fixture.js';
import { GeminiProvider } from './gemini-provider.js';

const google = 'https://generativelanguage.googleapis.com';
const key = { value: 'AIza-test-key', models: [], weight: 1 };
const messages = [{ role: 'user' as const, content: 'How does AI work?' }];
const now = () => 1_750_000_000_000;

let upstream: MockUpstream;
beforeEach(() => {
  upstream = new MockUpstream();
});
afterEach(async () => {
  await upstream.agent.close();
});

function provider(config: ProviderConfigInput = {}): GeminiProvider {
  return new GeminiProvider(providerConfigSchema.parse(config), upstream.agent, { now });
}

async function drain(stream: ProviderStream): Promise<ChatStreamChunk[]> {
  const received: ChatStreamChunk[] = [];
  for await (const chunk of stream) received.push(chunk);
  return received;
}

describe('GeminiProvider', () => {
  it('posts generateContent with the key in x-goog-api-key, never in the query string', async () => {
    upstream.reply(
      google,
      '/v1beta/models/gemini-2.5-flash:generateContent',
      200,
      readGeminiFixture('generate-content'),
    );
    const answer = await provider({
      network_config: { extra_headers: { 'x-goog-api-key': 'stolen', 'x-trace': '1' } },
    }).chatCompletion(
      { provider: 'gemini', model: 'gemini-2.5-flash', messages, params: { temperature: 0.1 } },
      { key },
    );
    expect(answer.choices[0]!.message.content).toBe(
      'AI learns patterns from data and uses them to make predictions on new inputs.',
    );
    expect(upstream.requests).toEqual([
      {
        origin: google,
        method: 'POST',
        path: '/v1beta/models/gemini-2.5-flash:generateContent',
        headers: { 'content-type': 'application/json', 'x-trace': '1', 'x-goog-api-key': 'AIza-test-key' },
        body: {
          contents: [{ role: 'user', parts: [{ text: 'How does AI work?' }] }],
          generationConfig: { temperature: 0.1 },
        },
      },
    ]);
  });

  it('does not double the version segment of a base URL ending in /v1beta', async () => {
    upstream.reply(
      'https://proxy.example.com',
      '/google/v1beta/models/gemini-2.5-flash:generateContent',
      200,
      readGeminiFixture('generate-content'),
    );
    await provider({
      network_config: { base_url: 'https://proxy.example.com/google/v1beta' },
    }).chatCompletion({ provider: 'gemini', model: 'gemini-2.5-flash', messages }, { key });
    expect(upstream.requests[0]!.path).toBe('/google/v1beta/models/gemini-2.5-flash:generateContent');
  });

  it('returns request warnings and the raw body when asked', async () => {
    const body = readGeminiFixture('generate-content');
    upstream.reply(google, '/v1beta/models/gemini-2.5-flash:generateContent', 200, body);
    const answer = await provider({ send_back_raw_response: true }).chatCompletion(
      { provider: 'gemini', model: 'gemini-2.5-flash', messages, params: { logprobs: true } },
      { key },
    );
    expect(answer.extra_fields).toEqual({ warnings: ['gemini ignores logprobs'], raw_response: body });
  });

  it('turns an error status into a provider error keeping Google status and Retry-After', async () => {
    upstream.reply(
      google,
      '/v1beta/models/gemini-2.5-flash:generateContent',
      429,
      readGeminiFixture('error-429-resource-exhausted'),
      {
        headers: { 'retry-after': '2' },
      },
    );
    await expect(
      provider().chatCompletion({ provider: 'gemini', model: 'gemini-2.5-flash', messages }, { key }),
    ).rejects.toMatchObject({
      code: 'rate_limited',
      statusCode: 429,
      upstreamType: 'RESOURCE_EXHAUSTED',
      retryAfterMs: 2000,
    });
  });

  it('embeds one input with embedContent and several with batchEmbedContents', async () => {
    upstream.reply(
      google,
      '/v1beta/models/gemini-embedding-001:embedContent',
      200,
      readGeminiFixture('embed-content'),
    );
    upstream.reply(
      google,
      '/v1beta/models/gemini-embedding-001:batchEmbedContents',
      200,
      readGeminiFixture('batch-embed-contents'),
    );
    const one = await provider().embedding(
      {
        provider: 'gemini',
        model: 'gemini-embedding-001',
        input: 'What is life?',
        params: { dimensions: 4 },
      },
      { key },
    );
    const many = await provider().embedding(
      {
        provider: 'gemini',
        model: 'gemini-embedding-001',
        input: ['a', 'b'],
        params: { encoding_format: 'base64' },
      },
      { key },
    );
    expect(one).toEqual({
      object: 'list',
      model: 'gemini-embedding-001',
      data: [
        {
          object: 'embedding',
          index: 0,
          embedding: [0.013168523, -0.008711934, -0.046782676, 0.00069968984],
        },
      ],
    });
    expect(many.data.map((entry) => typeof entry.embedding)).toEqual(['string', 'string']);
    const bytes = Buffer.from(many.data[1]!.embedding as string, 'base64');
    const decoded = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
    expect(decoded[1]).toBeCloseTo(0.018255826, 6);
    expect(upstream.requests.map((request) => request.body)).toEqual([
      { content: { parts: [{ text: 'What is life?' }] }, outputDimensionality: 4 },
      {
        requests: [
          { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'a' }] } },
          { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'b' }] } },
        ],
      },
    ]);
  });

  it('lists models without the models/ prefix', async () => {
    upstream.reply(google, '/v1beta/models?pageSize=1000', 200, readGeminiFixture('models'), {
      method: 'GET',
    });
    const models = await provider().listModels({ key });
    expect(models).toEqual([
      { id: 'gemini/gemini-2.5-flash', object: 'model', created: 0, owned_by: 'google' },
      { id: 'gemini/gemini-embedding-001', object: 'model', created: 0, owned_by: 'google' },
    ]);
  });

  it('refuses text completions before sending anything, allowing fallbacks', async () => {
    await expect(
      provider().textCompletion({ provider: 'gemini', model: 'gemini-2.5-flash', text: 'x' }),
    ).rejects.toMatchObject({
      code: 'invalid_request',
      message: 'gemini does not support text completions',
      allowFallbacks: true,
    });
    expect(upstream.requests).toEqual([]);
  });
});

describe('geminiChatStream', () => {
  const path = '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse';

  it('streams text chunks, then one chunk with the finish reason and usage', async () => {
    upstream.replyRawStream(google, path, sseBody(readGeminiFixture('stream-events'), { done: false }));
    const chunks = await drain(
      await provider().chatCompletionStream(
        { provider: 'gemini', model: 'gemini-2.5-flash', messages },
        { key },
      ),
    );
    const base = {
      id: 'jBitaKvxEsr4z7IP-Y3QsQ4',
      object: 'chat.completion.chunk',
      created: 1_750_000_000,
      model: 'gemini-2.5-flash',
    };
    expect(chunks).toEqual([
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
    expect(upstream.requests[0]!.path).toBe(path);
    expect(upstream.requests[0]!.headers['x-goog-api-key']).toBe('AIza-test-key');
  });

  it('streams each function call whole with its index, id and thought signature', async () => {
    upstream.replyRawStream(
      google,
      path,
      sseBody(readGeminiFixture('stream-function-call-events'), { done: false }),
    );
    const chunks = await drain(
      await provider().chatCompletionStream(
        { provider: 'gemini', model: 'gemini-2.5-flash', messages },
        { key },
      ),
    );
    expect(chunks.map((chunk) => chunk.choices)).toEqual([
      [
        {
          index: 0,
          delta: {
            role: 'assistant',
            tool_calls: [
              {
                index: 0,
                id: 'call_0',
                type: 'function',
                function: { name: 'get_current_temperature', arguments: '{"location":"London"}' },
                extra_content: { google: { thought_signature: 'CiQB0e2Kb7x1U2lnbmF0dXJlRm9yVGhlQ2FsbA==' } },
              },
              {
                index: 1,
                id: 'call_1',
                type: 'function',
                function: { name: 'get_current_temperature', arguments: '{"location":"Paris"}' },
              },
            ],
          },
          finish_reason: null,
        },
      ],
      [{ index: 0, delta: {}, finish_reason: 'tool_calls' }],
    ]);
    expect(chunks[1]!.usage).toEqual({
      prompt_tokens: 71,
      completion_tokens: 86,
      total_tokens: 157,
      completion_tokens_details: { reasoning_tokens: 50 },
    });
  });

  it('streams thoughts as reasoning fragments that keep their signature', async () => {
    const events = [
      {
        candidates: [{ index: 0, content: { role: 'model', parts: [{ text: 'Thinking', thought: true }] } }],
      },
      {
        candidates: [
          {
            index: 0,
            content: { role: 'model', parts: [{ text: 'Four.', thoughtSignature: 'sig-1' }] },
            finishReason: 'STOP',
          },
        ],
        usageMetadata: {
          promptTokenCount: 3,
          candidatesTokenCount: 2,
          thoughtsTokenCount: 4,
          totalTokenCount: 9,
        },
      },
    ];
    upstream.replyRawStream(google, path, sseBody(events, { done: false }));
    const chunks = await drain(
      await provider().chatCompletionStream(
        { provider: 'gemini', model: 'gemini-2.5-flash', messages },
        { key },
      ),
    );
    expect(chunks.map((chunk) => chunk.choices[0]!.delta)).toEqual([
      {
        role: 'assistant',
        reasoning: 'Thinking',
        reasoning_details: [{ type: 'reasoning.text', text: 'Thinking', index: 0 }],
      },
      {
        content: 'Four.',
        reasoning_details: [{ type: 'reasoning.text', text: '', signature: 'sig-1', index: 1 }],
      },
      {},
    ]);
  });

  it('ends a blocked prompt with a content_filter chunk', async () => {
    upstream.replyRawStream(
      google,
      path,
      sseBody([readGeminiFixture('generate-content-blocked')], { done: false }),
    );
    const chunks = await drain(
      await provider().chatCompletionStream(
        { provider: 'gemini', model: 'gemini-2.5-flash', messages },
        { key },
      ),
    );
    expect(chunks.map((chunk) => chunk.choices)).toEqual([
      [
        {
          index: 0,
          delta: { role: 'assistant', refusal: 'The prompt was blocked (SAFETY)' },
          finish_reason: 'content_filter',
        },
      ],
    ]);
  });

  it('raises provider_error when the stream ends before a finish reason', async () => {
    upstream.replyRawStream(
      google,
      path,
      sseBody(readGeminiFixture<unknown[]>('stream-events').slice(0, 2), { done: false }),
    );
    const stream = await provider().chatCompletionStream(
      { provider: 'gemini', model: 'gemini-2.5-flash', messages },
      { key },
    );
    await expect(drain(stream)).rejects.toMatchObject({
      code: 'provider_error',
      message: 'gemini closed the stream before it finished',
    });
  });

  it('raises the error an error event carries, and provider_error for an event that is not JSON', async () => {
    upstream.replyRawStream(
      google,
      path,
      sseBody([readGeminiFixture('error-503-unavailable')], { done: false }),
    );
    upstream.replyRawStream(google, path, 'data: {"candidates":\n\n');
    const failing = await provider().chatCompletionStream(
      { provider: 'gemini', model: 'gemini-2.5-flash', messages },
      { key },
    );
    await expect(drain(failing)).rejects.toMatchObject({
      statusCode: 503,
      upstreamType: 'UNAVAILABLE',
      message: 'The model is overloaded. Please try again later.',
    });
    const malformed = await provider().chatCompletionStream(
      { provider: 'gemini', model: 'gemini-2.5-flash', messages },
      { key },
    );
    await expect(drain(malformed)).rejects.toMatchObject({ code: 'provider_error', statusCode: 502 });
  });
});
