import Anthropic from '@anthropic-ai/sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayProcess } from './support/gateway-process.js';
import { startIntegrationGateway } from './support/integration-gateway.js';
import {
  echoOf,
  type IntegrationUpstream,
  modelFor,
  startIntegrationUpstreams,
  type UpstreamFormat,
} from './support/integration-upstreams.js';

// Anthropic's SDK with only its base URL changed, in front of each provider format behind the gateway. It has no
// embeddings API, so that column of the matrix is empty here.
const formats: UpstreamFormat[] = ['openai', 'anthropic', 'gemini'];
const question = 'What is the weather in Paris?';

const weatherTool: Anthropic.Tool = {
  name: 'get_weather',
  description: 'Get the current temperature for a given location.',
  input_schema: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
};

let upstreams: Map<UpstreamFormat, IntegrationUpstream>;
let gateway: GatewayProcess;
let client: Anthropic;

beforeAll(async () => {
  upstreams = await startIntegrationUpstreams(formats);
  gateway = await startIntegrationGateway(upstreams.values());
  // The SDK always sends x-api-key; without allow_direct_keys the gateway ignores it.
  client = new Anthropic({
    apiKey: 'sk-ant-caller-key-not-used',
    baseURL: `${gateway.url}/anthropic`,
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

describe.each(formats)("Anthropic's SDK in front of a %s-format upstream", (format) => {
  const upstream = () => upstreams.get(format)!;
  const model = () => modelFor(upstream(), 'anthropic');

  it('answers a plain message with the configured key', async () => {
    upstream().expectChat('Hello there', { stream: false });
    const message = await client.messages.create({
      model: model(),
      max_tokens: 64,
      messages: [{ role: 'user', content: 'Hello there' }],
    });

    expect(message.type).toBe('message');
    expect(message.role).toBe('assistant');
    expect(message.content).toEqual([{ type: 'text', text: echoOf('Hello there') }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage.output_tokens).toBeGreaterThan(0);
    expect(upstream().lastCredential()).toBe(upstream().apiKey);
  });

  it("streams a message in Anthropic's event sequence", async () => {
    upstream().expectChat('Stream this please', { stream: true });
    const stream = client.messages.stream({
      model: model(),
      max_tokens: 64,
      messages: [{ role: 'user', content: 'Stream this please' }],
    });
    const events: string[] = [];
    let text = '';
    for await (const event of stream) {
      if (events.at(-1) !== event.type) events.push(event.type);
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
    }
    const message = await stream.finalMessage();

    expect(events).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(text).toBe(echoOf('Stream this please'));
    expect(message.content).toEqual([{ type: 'text', text }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage.output_tokens).toBeGreaterThan(0);
  });

  it('makes a tool use round trip', async () => {
    const messages: Anthropic.MessageParam[] = [{ role: 'user', content: question }];
    upstream().expectToolCall('get_weather', { location: 'Paris' }, { stream: false });
    const first = await client.messages.create({
      model: model(),
      max_tokens: 64,
      messages,
      tools: [weatherTool],
    });
    const toolUse = first.content.find((block) => block.type === 'tool_use')!;
    expect(first.stop_reason).toBe('tool_use');
    expect(toolUse).toMatchObject({ type: 'tool_use', name: 'get_weather' });
    expect(typeof toolUse.input).toBe('object');

    messages.push(
      { role: 'assistant', content: first.content },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: '22 °C, sunny' }] },
    );
    upstream().expectChat(question, { stream: false });
    const second = await client.messages.create({
      model: model(),
      max_tokens: 64,
      messages,
      tools: [weatherTool],
    });

    const result = upstream().lastToolResult()!;
    expect(result.content).toContain('22 °C, sunny');
    expect(result.callId).toBe(upstream().toolResultsCarryCallIds ? toolUse.id : undefined);
    expect(second.stop_reason).toBe('end_turn');
    expect(second.content).toEqual([{ type: 'text', text: echoOf(question) }]);
  });

  it('streams a tool use as input_json_delta fragments', async () => {
    upstream().expectToolCall('get_weather', { location: 'Paris' }, { stream: true });
    const stream = client.messages.stream({
      model: model(),
      max_tokens: 64,
      messages: [{ role: 'user', content: question }],
      tools: [weatherTool],
    });
    const message = await stream.finalMessage();

    expect(message.stop_reason).toBe('tool_use');
    expect(message.content.at(-1)).toMatchObject({
      type: 'tool_use',
      name: 'get_weather',
      input: format === 'openai' ? { echo: question } : { location: 'Paris' },
    });
  });

  it("raises the SDK's RateLimitError for an upstream 429", async () => {
    upstream().failNext(429);
    const failure = client.messages.create({
      model: model(),
      max_tokens: 64,
      messages: [{ role: 'user', content: 'Hello there' }],
    });

    await expect(failure).rejects.toBeInstanceOf(Anthropic.RateLimitError);
    await expect(failure).rejects.toMatchObject({
      status: 429,
      error: { type: 'error', error: { type: 'rate_limit_error' } },
    });
  });

  it("raises the SDK's BadRequestError for an upstream 400", async () => {
    upstream().failNext(400);
    const failure = client.messages.create({
      model: model(),
      max_tokens: 64,
      messages: [{ role: 'user', content: 'Hello there' }],
    });

    await expect(failure).rejects.toBeInstanceOf(Anthropic.BadRequestError);
    await expect(failure).rejects.toMatchObject({
      status: 400,
      error: { type: 'error', error: { type: 'invalid_request_error' } },
    });
  });

  it('counts tokens without calling the upstream', async () => {
    const count = await client.messages.countTokens({
      model: model(),
      messages: [{ role: 'user', content: 'Hello there, how are you today?' }],
    });

    expect(count.input_tokens).toBeGreaterThan(0);
    expect(upstream().requestCount()).toBe(0);
  });
});

describe("Anthropic's SDK in front of an OpenAI model", () => {
  it('sends the exact OpenAI request its Messages call translates to', async () => {
    const upstream = upstreams.get('openai')!;
    await client.messages.create({
      model: 'openai/gpt-4o-mini',
      max_tokens: 64,
      system: 'Be brief.',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'What is in this image?' }] },
        { role: 'assistant', content: 'A cat.' },
        { role: 'user', content: 'Hello there' },
      ],
      tools: [weatherTool],
      tool_choice: { type: 'auto', disable_parallel_tool_use: true },
      stop_sequences: ['END'],
      // The installed SDK's types no longer list `temperature`; the Messages API still documents it.
      ...({ temperature: 0.2 } as object),
      metadata: { user_id: 'user-1234' },
    });

    expect(upstream.lastRequestBody()).toEqual({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: [{ type: 'text', text: 'What is in this image?' }] },
        { role: 'assistant', content: 'A cat.' },
        { role: 'user', content: 'Hello there' },
      ],
      max_tokens: 64,
      stop: ['END'],
      user: 'user-1234',
      temperature: 0.2,
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Get the current temperature for a given location.',
            parameters: weatherTool.input_schema,
          },
        },
      ],
      tool_choice: 'auto',
      parallel_tool_calls: false,
    });
  });
});

describe("Anthropic's SDK when a stream breaks off", () => {
  it('raises the error event the gateway sends last', async () => {
    upstreams.get('openai')!.cutNextStream!();
    const stream = client.messages.stream({
      model: 'openai/gpt-4o-mini',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'Tell me a story' }],
    });

    await expect(stream.finalMessage()).rejects.toBeInstanceOf(Anthropic.APIError);
    await expect(stream.finalMessage()).rejects.toMatchObject({
      error: {
        type: 'error',
        error: {
          type: 'api_error',
          message: expect.stringMatching(/the connection to openai broke before the answer was complete/),
        },
      },
    });
  });
});
