import OpenAI from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type GatewayProcess, startGateway } from './support/gateway-process.js';
import { readOpenAIFixture } from './support/openai-fixtures.js';
import { type OpenAIUpstream, startOpenAIUpstream } from './support/openai-upstream.js';
import { postJson } from './support/post-json.js';

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
  },
};

let upstream: OpenAIUpstream;
let gateway: GatewayProcess;
let client: OpenAI;

beforeAll(async () => {
  upstream = await startOpenAIUpstream({ apiKeys: ['sk-stream-key'] });
  gateway = await startGateway({
    config: {
      providers: {
        openai: { keys: [{ value: 'sk-stream-key' }], network_config: { base_url: upstream.url } },
      },
    },
  });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'unused', maxRetries: 0 });
});
afterEach(() => upstream.reset());
afterAll(async () => {
  await gateway?.stop();
  await upstream?.close();
});

/** The chunk as the provider sent it: the gateway adds only `extra_fields`. */
function withoutExtraFields(chunk: ChatCompletionChunk): unknown {
  const { extra_fields: _extra, ...rest } = chunk as ChatCompletionChunk & { extra_fields?: unknown };
  return rest;
}

describe('streaming through the OpenAI SDK', () => {
  it("relays the provider's chunks in order and the content reassembles", async () => {
    const upstreamChunks = readOpenAIFixture<ChatCompletionChunk[]>('chat-stream-chunks');
    upstream.enqueue({ kind: 'sse', chunks: upstreamChunks });

    const stream = await client.chat.completions.create({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hello' }],
      stream: true,
    });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);

    expect(chunks.map(withoutExtraFields)).toEqual(upstreamChunks);
    const content = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    const expected = upstreamChunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    expect(content).toBe(expected);
    expect(upstream.requests).toHaveLength(1);
    expect(upstream.requests[0]!.path).toBe('/v1/chat/completions');
    expect(upstream.requests[0]!.body).toEqual({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hello' }],
      stream: true,
    });
  });

  it('adds extra_fields to the chunk that finishes the choice', async () => {
    const stream = await client.chat.completions.create({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'Tell me a story' }],
      stream: true,
    });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);

    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe(
      'echo: Tell me a story',
    );
    const last = chunks.at(-1) as ChatCompletionChunk & { extra_fields?: unknown };
    expect(last.choices[0]!.finish_reason).toBe('stop');
    expect(last.extra_fields).toEqual({
      provider: 'openai',
      model: 'gpt-4o-mini',
      latency: expect.any(Number),
    });
  });

  it('reassembles streamed tool-call deltas into the full call', async () => {
    const runner = client.chat.completions.stream({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [weatherTool],
      tool_choice: 'required',
    });
    const completion = await runner.finalChatCompletion();

    const choice = completion.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.tool_calls).toEqual([
      {
        id: expect.stringMatching(/^call_/),
        type: 'function',
        function: { name: 'get_weather', arguments: JSON.stringify({ echo: 'Weather in Paris?' }) },
      },
    ]);
    expect(upstream.requests[0]!.body).toMatchObject({
      tools: [weatherTool],
      tool_choice: 'required',
      stream: true,
    });
  });

  it('passes stream_options through and relays the usage chunk', async () => {
    const stream = await client.chat.completions.create({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'Count my tokens' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);

    expect(upstream.requests[0]!.body).toMatchObject({ stream_options: { include_usage: true } });
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({ prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 });
  });
});

describe('SSE framing', () => {
  it('sends data-only events, one JSON chunk each, ending with data: [DONE]', async () => {
    const chunks = readOpenAIFixture<ChatCompletionChunk[]>('chat-stream-chunks');
    upstream.enqueue({ kind: 'sse', chunks });

    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'openai/gpt-4o-mini',
        messages: [{ role: 'user', content: 'Hi' }],
        stream: true,
      }),
    });
    const text = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('x-bf-retries')).toBe('0');
    expect(text.endsWith('\n\ndata: [DONE]\n\n')).toBe(true);
    const events = text.slice(0, -2).split('\n\n');
    expect(events).toHaveLength(chunks.length + 1);
    expect(events.at(-1)).toBe('data: [DONE]');
    for (const [index, chunk] of chunks.entries()) {
      const event = events[index]!;
      expect(event.startsWith('data: ')).toBe(true);
      expect(event).not.toContain('\n');
      const isLast = index === chunks.length - 1;
      // The chunks before the finishing one go out byte for byte as the provider serialized them.
      if (!isLast) expect(event).toBe(`data: ${JSON.stringify(chunk)}`);
      else
        expect(JSON.parse(event.slice('data: '.length))).toEqual({
          ...chunk,
          extra_fields: expect.any(Object),
        });
    }
  });
});

describe('failures and cancellation', () => {
  it('ends with a data: {"error":…} event when the upstream connection drops mid-stream, and the SDK raises', async () => {
    const chunks = readOpenAIFixture<ChatCompletionChunk[]>('chat-stream-chunks');
    upstream.enqueue({ kind: 'sse', chunks: chunks.slice(0, 3), dropConnection: true });

    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'openai/gpt-4o-mini',
        messages: [{ role: 'user', content: 'Hi' }],
        stream: true,
      }),
    });
    const events = (await response.text()).split('\n\n').filter((event) => event !== '');

    expect(response.status).toBe(200);
    expect(events.slice(0, 3)).toEqual(chunks.slice(0, 3).map((chunk) => `data: ${JSON.stringify(chunk)}`));
    expect(events).toHaveLength(4);
    expect(events).not.toContain('data: [DONE]');
    const error = JSON.parse(events[3]!.slice('data: '.length));
    expect(error).toMatchObject({
      is_bifrost_error: true,
      status_code: expect.any(Number),
      error: { message: expect.stringContaining('openai') },
      extra_fields: { provider: 'openai', model: 'gpt-4o-mini' },
    });
    expect(error.status_code).toBeGreaterThanOrEqual(500);

    upstream.enqueue({ kind: 'sse', chunks: chunks.slice(0, 3), dropConnection: true });
    const stream = await client.chat.completions.create({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
    });
    const received: ChatCompletionChunk[] = [];
    const consume = async () => {
      for await (const chunk of stream) received.push(chunk);
    };
    await expect(consume()).rejects.toBeInstanceOf(OpenAI.APIError);
    expect(received).toHaveLength(3);
  });

  it('aborts the upstream request when the client disconnects, and keeps serving', async () => {
    const chunks = readOpenAIFixture<ChatCompletionChunk[]>('chat-stream-chunks');
    const middle = chunks[1]!;
    // A long stream, slow enough that the client leaves long before it ends.
    upstream.enqueue({
      kind: 'sse',
      chunks: [chunks[0], ...Array(200).fill(middle), chunks.at(-1)],
      intervalMs: 50,
    });

    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Go on' }], stream: true },
      { signal: controller.signal },
    );
    let received = 0;
    for await (const _chunk of stream) {
      received += 1;
      if (received === 2) break;
    }
    controller.abort();

    await vi.waitFor(() => expect(upstream.abortedCount()).toBe(1), { timeout: 5_000 });
    const next = await postJson(`${gateway.url}/v1/chat/completions`, {
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'Still there?' }],
    });
    expect(next.status).toBe(200);
    expect(next.body.choices[0].message.content).toBe('echo: Still there?');
  });
});
