import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayProcess } from './support/gateway-process.js';
import { startIntegrationGateway } from './support/integration-gateway.js';
import {
  echoOf,
  formatsWithEmbeddings,
  type IntegrationUpstream,
  modelFor,
  startIntegrationUpstreams,
  type UpstreamFormat,
} from './support/integration-upstreams.js';

// The OpenAI SDK with only its base URL changed, in front of each provider format behind the gateway.
const formats: UpstreamFormat[] = ['openai', 'anthropic', 'gemini'];
const question = 'What is the weather in Paris?';

const weatherTool: OpenAI.Chat.ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Get the current temperature for a given location.',
    parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
  },
};

let upstreams: Map<UpstreamFormat, IntegrationUpstream>;
let gateway: GatewayProcess;
let client: OpenAI;

beforeAll(async () => {
  upstreams = await startIntegrationUpstreams(formats);
  gateway = await startIntegrationGateway(upstreams.values());
  client = new OpenAI({
    apiKey: 'sk-caller-key-not-used',
    baseURL: `${gateway.url}/openai/v1`,
    maxRetries: 0,
  });
});
afterEach(() => {
  for (const upstream of upstreams.values()) upstream.reset();
});
afterAll(async () => {
  await gateway?.stop();
  for (const upstream of upstreams?.values() ?? []) await upstream.close();
});

describe.each(formats)('the OpenAI SDK in front of a %s-format upstream', (format) => {
  const upstream = () => upstreams.get(format)!;
  const model = () => modelFor(upstream(), 'openai');

  it('answers a plain chat completion with the configured key', async () => {
    upstream().expectChat('Hello there', { stream: false });
    const completion = await client.chat.completions.create({
      model: model(),
      messages: [{ role: 'user', content: 'Hello there' }],
    });

    expect(completion.object).toBe('chat.completion');
    expect(completion.choices[0]!.message.content).toBe(echoOf('Hello there'));
    expect(completion.choices[0]!.finish_reason).toBe('stop');
    expect(completion.usage!.prompt_tokens).toBeGreaterThan(0);
    expect(upstream().lastCredential()).toBe(upstream().apiKey);
  });

  it('streams a chat completion chunk by chunk, with usage at the end', async () => {
    upstream().expectChat('Stream this please', { stream: true });
    const stream = await client.chat.completions.create({
      model: model(),
      messages: [{ role: 'user', content: 'Stream this please' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    const finishReasons: (string | null)[] = [];
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.choices[0]?.finish_reason) finishReasons.push(chunk.choices[0].finish_reason);
      if (chunk.usage) usage = chunk.usage;
    }

    expect(text).toBe(echoOf('Stream this please'));
    expect(finishReasons).toEqual(['stop']);
    expect(usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('makes a tool call round trip', async () => {
    const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: 'user', content: question }];
    upstream().expectToolCall('get_weather', { location: 'Paris' }, { stream: false });
    const first = await client.chat.completions.create({ model: model(), messages, tools: [weatherTool] });
    const call = first.choices[0]!.message.tool_calls![0]!;
    expect(first.choices[0]!.finish_reason).toBe('tool_calls');
    expect(call.type === 'function' && call.function.name).toBe('get_weather');
    expect(call.type === 'function' && typeof JSON.parse(call.function.arguments)).toBe('object');

    messages.push(first.choices[0]!.message, {
      role: 'tool',
      tool_call_id: call.id,
      content: '22 °C, sunny',
    });
    upstream().expectChat(question, { stream: false });
    const second = await client.chat.completions.create({ model: model(), messages, tools: [weatherTool] });

    const result = upstream().lastToolResult()!;
    expect(result.content).toContain('22 °C, sunny');
    expect(result.callId).toBe(upstream().toolResultsCarryCallIds ? call.id : undefined);
    expect(second.choices[0]!.finish_reason).toBe('stop');
    expect(second.choices[0]!.message.content).toBe(echoOf(question));
  });

  it('streams a tool call as id and name first, then argument fragments', async () => {
    upstream().expectToolCall('get_weather', { location: 'Paris' }, { stream: true });
    const stream = client.chat.completions.stream({
      model: model(),
      messages: [{ role: 'user', content: question }],
      tools: [weatherTool],
    });
    const completion = await stream.finalChatCompletion();

    expect(completion.choices[0]!.finish_reason).toBe('tool_calls');
    const call = completion.choices[0]!.message.tool_calls![0]!;
    expect(call.type === 'function' && call.function.name).toBe('get_weather');
    expect(call.id).not.toBe('');
  });

  it.skipIf(!formatsWithEmbeddings.has(format))(
    'creates embeddings in the SDK default base64 encoding',
    async () => {
      const answer = await client.embeddings.create({
        model: modelFor(upstream(), 'openai', upstream().embeddingModel),
        input: ['first text', 'second text'],
      });

      expect(answer.data.map((item) => item.index)).toEqual([0, 1]);
      for (const item of answer.data) {
        expect(item.embedding.length).toBeGreaterThan(0);
        expect(item.embedding.every((value) => Number.isFinite(value))).toBe(true);
      }
    },
  );

  it("raises the SDK's RateLimitError for an upstream 429", async () => {
    upstream().failNext(429);
    const failure = client.chat.completions.create({
      model: model(),
      messages: [{ role: 'user', content: 'Hello there' }],
    });

    await expect(failure).rejects.toBeInstanceOf(OpenAI.RateLimitError);
    await expect(failure).rejects.toMatchObject({ status: 429 });
  });

  it("raises the SDK's BadRequestError for an upstream 400", async () => {
    upstream().failNext(400);
    const failure = client.chat.completions.create({
      model: model(),
      messages: [{ role: 'user', content: 'Hello there' }],
    });

    await expect(failure).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    await expect(failure).rejects.toMatchObject({ status: 400 });
  });
});

describe('the OpenAI SDK when a stream breaks off', () => {
  it('raises the error the gateway sends as the last event', async () => {
    upstreams.get('anthropic')!.cutNextStream!();
    const stream = await client.chat.completions.create({
      model: 'anthropic/claude-3-5-haiku-latest',
      messages: [{ role: 'user', content: 'Tell me a story' }],
      stream: true,
    });
    let text = '';
    const reading = (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    })();

    await expect(reading).rejects.toBeInstanceOf(OpenAI.APIError);
    await expect(reading).rejects.toThrow(/anthropic broke before the answer was complete/);
    expect(text).toBe('Once');
  });
});
