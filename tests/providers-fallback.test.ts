import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type AnthropicUpstream,
  readAnthropicStreamFixture,
  startAnthropicUpstream,
} from './support/anthropic-upstream.js';
import { type GatewayProcess, startGateway } from './support/gateway-process.js';
import { type OpenAIUpstream, startOpenAIUpstream } from './support/openai-upstream.js';
import { postJson } from './support/post-json.js';

// The built gateway fails over from OpenAI to Anthropic: the caller speaks OpenAI's dialect to both.
const claude = 'claude-haiku-4-5';
const messages = [{ role: 'user', content: 'Hello' }];

let openai: OpenAIUpstream;
let anthropic: AnthropicUpstream;
let gateway: GatewayProcess;

beforeAll(async () => {
  openai = await startOpenAIUpstream({ apiKeys: ['sk-openai'] });
  anthropic = await startAnthropicUpstream({ apiKeys: ['sk-ant-fallback'] });
  gateway = await startGateway({
    config: {
      providers: {
        openai: { keys: [{ value: 'sk-openai' }], network_config: { base_url: openai.url, max_retries: 0 } },
        anthropic: { keys: [{ value: 'sk-ant-fallback' }], network_config: { base_url: anthropic.url } },
      },
    },
  });
});
afterEach(() => {
  openai.reset();
  anthropic.reset();
});
afterAll(async () => {
  await gateway?.stop();
  await Promise.all([openai?.close(), anthropic?.close()]);
});

describe('fallback from OpenAI to Anthropic through the gateway binary', () => {
  it('answers a chat completion from Anthropic in OpenAI shape when OpenAI answers 503', async () => {
    openai.setHandler(() => ({ kind: 'error', status: 503 }));

    const answer = await postJson(`${gateway.url}/v1/chat/completions`, {
      model: 'openai/gpt-4o-mini',
      messages,
      max_tokens: 256,
      fallbacks: [`anthropic/${claude}`],
    });

    expect(openai.requests).toHaveLength(1);
    expect(anthropic.requests).toHaveLength(1);
    const sent = anthropic.requests[0]!;
    expect(sent.path).toBe('/v1/messages');
    expect(sent.headers['x-api-key']).toBe('sk-ant-fallback');
    expect(sent.headers['anthropic-version']).toBe('2023-06-01');
    expect(sent.body).toEqual({
      model: claude,
      max_tokens: 256,
      messages: [{ role: 'user', content: 'Hello' }],
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      id: 'msg_echo',
      object: 'chat.completion',
      created: expect.any(Number),
      model: claude,
      choices: [{ index: 0, message: { role: 'assistant', content: 'echo: Hello' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
      extra_fields: { provider: 'anthropic', model: claude, latency: expect.any(Number), fallback_index: 1 },
    });
  });

  it('streams OpenAI-shaped chunks from Anthropic, ending with data: [DONE]', async () => {
    openai.setHandler(() => ({ kind: 'error', status: 503 }));
    anthropic.enqueue({ kind: 'stream', events: readAnthropicStreamFixture('stream-tool-use') });

    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'openai/gpt-4o-mini',
        messages,
        stream: true,
        fallbacks: [`anthropic/${claude}`],
      }),
    });
    const text = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(anthropic.requests[0]!.body).toEqual({
      model: claude,
      max_tokens: 4096,
      messages: [{ role: 'user', content: 'Hello' }],
      stream: true,
    });
    const events = text.split('\n\n').filter((event) => event !== '');
    expect(events.at(-1)).toBe('data: [DONE]');
    const chunks = events.slice(0, -1).map((event) => {
      expect(event.startsWith('data: ')).toBe(true);
      return JSON.parse(event.slice('data: '.length));
    });
    for (const chunk of chunks)
      expect(chunk).toMatchObject({ object: 'chat.completion.chunk', id: 'msg_014p7gG3wDgGV9EUtLvnow3U' });
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '' });
    expect(chunks.map((chunk) => chunk.choices[0].delta.content ?? '').join('')).toBe(
      "Okay, let's check the weather for San Francisco, CA:",
    );
    const toolDeltas = chunks.flatMap((chunk) => chunk.choices[0].delta.tool_calls ?? []);
    expect(toolDeltas[0]).toEqual({
      index: 0,
      id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
      type: 'function',
      function: { name: 'get_weather', arguments: '' },
    });
    expect(
      toolDeltas.map((delta: { function: { arguments: string } }) => delta.function.arguments).join(''),
    ).toBe('{"location": "San Francisco, CA", "unit": "fahrenheit"}');
    const last = chunks.at(-1);
    expect(last.choices[0].finish_reason).toBe('tool_calls');
    expect(last.usage).toEqual({ prompt_tokens: 472, completion_tokens: 89, total_tokens: 561 });
    expect(last.extra_fields).toMatchObject({ provider: 'anthropic', model: claude, fallback_index: 1 });
  });

  it('serves the OpenAI SDK a streamed fallback answer', async () => {
    openai.setHandler(() => ({ kind: 'error', status: 503 }));
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'unused', maxRetries: 0 });

    const stream = await client.chat.completions.create({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'Stream please' }],
      stream: true,
      // A gateway field the SDK does not know; it travels in the body as is.
      ...({ fallbacks: [`anthropic/${claude}`] } as object),
    });
    let content = '';
    let finishReason: string | null = null;
    for await (const chunk of stream) {
      content += chunk.choices[0]?.delta.content ?? '';
      finishReason = chunk.choices[0]?.finish_reason ?? finishReason;
    }

    expect(content).toBe('echo: Stream please');
    expect(finishReason).toBe('stop');
  });
});
