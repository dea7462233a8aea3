import { ApiError, type Content, GoogleGenAI, Type } from '@google/genai';
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

// Google's GenAI SDK with only its base URL changed, in front of each provider format behind the gateway.
const formats: UpstreamFormat[] = ['openai', 'anthropic', 'gemini'];
const question = 'What is the weather in Paris?';

const weatherDeclaration = {
  name: 'get_weather',
  description: 'Get the current temperature for a given location.',
  parameters: {
    type: Type.OBJECT,
    properties: { location: { type: Type.STRING } },
    required: ['location'],
  },
};

let upstreams: Map<UpstreamFormat, IntegrationUpstream>;
let gateway: GatewayProcess;
let client: GoogleGenAI;

beforeAll(async () => {
  upstreams = await startIntegrationUpstreams(formats);
  gateway = await startIntegrationGateway(upstreams.values());
  // The SDK always sends x-goog-api-key; without allow_direct_keys the gateway ignores it.
  client = new GoogleGenAI({
    apiKey: 'caller-key-not-used',
    httpOptions: { baseUrl: `${gateway.url}/genai` },
  });
});
afterEach(() => {
  for (const upstream of upstreams.values()) upstream.reset();
});
afterAll(async () => {
  await gateway?.stop();
  for (const upstream of upstreams?.values() ?? []) await upstream.close();
});

describe.each(formats)("Google's GenAI SDK in front of a %s-format upstream", (format) => {
  const upstream = () => upstreams.get(format)!;
  const model = () => modelFor(upstream(), 'gemini');

  it('answers generateContent with the configured key', async () => {
    upstream().expectChat('Hello there', { stream: false });
    const response = await client.models.generateContent({ model: model(), contents: 'Hello there' });

    expect(response.text).toBe(echoOf('Hello there'));
    expect(response.candidates![0]!.finishReason).toBe('STOP');
    expect(response.usageMetadata!.totalTokenCount).toBeGreaterThan(0);
    expect(upstream().lastCredential()).toBe(upstream().apiKey);
  });

  it('streams generateContentStream piece by piece, with usage at the end', async () => {
    upstream().expectChat('Stream this please', { stream: true });
    const stream = await client.models.generateContentStream({
      model: model(),
      contents: 'Stream this please',
    });
    let text = '';
    const finishReasons: string[] = [];
    let totalTokens = 0;
    for await (const piece of stream) {
      text += piece.text ?? '';
      const reason = piece.candidates?.[0]?.finishReason;
      if (reason) finishReasons.push(reason);
      totalTokens = piece.usageMetadata?.totalTokenCount ?? totalTokens;
    }

    expect(text).toBe(echoOf('Stream this please'));
    expect(finishReasons).toEqual(['STOP']);
    expect(totalTokens).toBeGreaterThan(0);
  });

  it('makes a function call round trip', async () => {
    const contents: Content[] = [{ role: 'user', parts: [{ text: question }] }];
    const config = { tools: [{ functionDeclarations: [weatherDeclaration] }] };
    upstream().expectToolCall('get_weather', { location: 'Paris' }, { stream: false });
    const first = await client.models.generateContent({ model: model(), contents, config });
    const call = first.functionCalls![0]!;
    expect(call.name).toBe('get_weather');
    expect(typeof call.args).toBe('object');

    contents.push(first.candidates![0]!.content!, {
      role: 'user',
      parts: [{ functionResponse: { id: call.id, name: call.name, response: { temperature: '22 °C' } } }],
    });
    upstream().expectChat(question, { stream: false });
    const second = await client.models.generateContent({ model: model(), contents, config });

    const result = upstream().lastToolResult()!;
    expect(result.content).toContain('22 °C');
    expect(result.callId).toBe(upstream().toolResultsCarryCallIds ? call.id : undefined);
    expect(second.text).toBe(echoOf(question));
  });

  it('streams a function call whole, with the finish reason', async () => {
    upstream().expectToolCall('get_weather', { location: 'Paris' }, { stream: true });
    const stream = await client.models.generateContentStream({
      model: model(),
      contents: question,
      config: { tools: [{ functionDeclarations: [weatherDeclaration] }] },
    });
    const calls = [];
    for await (const piece of stream) calls.push(...(piece.functionCalls ?? []));

    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      name: 'get_weather',
      args: format === 'openai' ? { echo: question } : { location: 'Paris' },
    });
  });

  it.skipIf(!formatsWithEmbeddings.has(format))('embeds several texts in one call', async () => {
    const response = await client.models.embedContent({
      model: modelFor(upstream(), 'gemini', upstream().embeddingModel),
      contents: ['first text', 'second text'],
    });

    expect(response.embeddings).toHaveLength(2);
    for (const embedding of response.embeddings!) expect(embedding.values!.length).toBeGreaterThan(0);
  });

  it('raises ApiError with status 429 for an upstream 429', async () => {
    upstream().failNext(429);
    const failure = client.models.generateContent({ model: model(), contents: 'Hello there' });

    await expect(failure).rejects.toBeInstanceOf(ApiError);
    await expect(failure).rejects.toMatchObject({ status: 429 });
    await expect(failure).rejects.toThrow(/"status":"RESOURCE_EXHAUSTED"/);
  });

  it('raises ApiError with status 400 for an upstream 400', async () => {
    upstream().failNext(400);
    const failure = client.models.generateContent({ model: model(), contents: 'Hello there' });

    await expect(failure).rejects.toBeInstanceOf(ApiError);
    await expect(failure).rejects.toMatchObject({ status: 400 });
    await expect(failure).rejects.toThrow(/"status":"INVALID_ARGUMENT"/);
  });

  it('counts tokens without calling the upstream', async () => {
    const count = await client.models.countTokens({ model: model(), contents: 'Hello there, how are you?' });

    expect(count.totalTokens).toBeGreaterThan(0);
    expect(upstream().requestCount()).toBe(0);
  });
});

describe("Google's GenAI SDK in front of an OpenAI model", () => {
  it('sends the exact OpenAI request its generateContent call translates to', async () => {
    const upstream = upstreams.get('openai')!;
    await client.models.generateContent({
      model: 'openai/gpt-4o-mini',
      contents: [
        { role: 'user', parts: [{ text: 'Hi' }] },
        { role: 'model', parts: [{ text: 'Hello!' }] },
        { role: 'user', parts: [{ text: 'Hello there' }] },
      ],
      config: {
        systemInstruction: 'Be brief.',
        temperature: 0.2,
        maxOutputTokens: 64,
        stopSequences: ['END'],
        tools: [{ functionDeclarations: [weatherDeclaration] }],
      },
    });

    expect(upstream.lastRequestBody()).toEqual({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'user', content: 'Hello there' },
      ],
      temperature: 0.2,
      max_tokens: 64,
      stop: ['END'],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Get the current temperature for a given location.',
            parameters: {
              type: 'object',
              properties: { location: { type: 'string' } },
              required: ['location'],
            },
          },
        },
      ],
    });
  });
});

describe("Google's GenAI SDK when a stream breaks off", () => {
  it("raises ApiError from the gateway's last error event", async () => {
    upstreams.get('openai')!.cutNextStream!();
    const stream = await client.models.generateContentStream({
      model: 'openai/gpt-4o-mini',
      contents: 'Tell me a story',
    });
    let text = '';
    const reading = (async () => {
      for await (const piece of stream) text += piece.text ?? '';
    })();

    await expect(reading).rejects.toBeInstanceOf(ApiError);
    await expect(reading).rejects.toMatchObject({ status: 502 });
    expect(text).toBe('Once');
  });
});
