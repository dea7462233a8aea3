import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { embeddingOf } from './openai-default-replies.js';
import { readOpenAIFixture } from './openai-fixtures.js';
import { type OpenAIUpstream, startOpenAIUpstream } from './openai-upstream.js';

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Get the current temperature for a given location.',
    parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
  },
};

let upstream: OpenAIUpstream;
let client: OpenAI;

beforeAll(async () => {
  upstream = await startOpenAIUpstream({ apiKeys: ['sk-test'] });
  client = new OpenAI({ apiKey: 'sk-test', baseURL: `${upstream.url}/v1`, maxRetries: 0 });
});
afterEach(() => upstream.reset());
afterAll(() => upstream.close());

describe('chat completions', () => {
  it('echoes the last user message and the requested model', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'hello there' },
      ],
    });

    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe('gpt-4o-mini');
    expect(completion.choices[0]?.message.content).toBe('echo: hello there');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage).toMatchObject({ prompt_tokens: 4, completion_tokens: 3, total_tokens: 7 });
    expect(upstream.requests[0]).toMatchObject({ method: 'POST', path: '/v1/chat/completions' });
    expect(upstream.requests[0]?.headers.authorization).toBe('Bearer sk-test');
  });

  it('answers with a call to the first tool and finish_reason tool_calls', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Paris?' }],
      tools: [weatherTool],
    });

    const choice = completion.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.tool_calls?.[0]).toMatchObject({
      type: 'function',
      function: { name: 'get_weather', arguments: '{"echo":"Paris?"}' },
    });
  });

  it('answers with text when tool_choice is none or the last message is a tool result', async () => {
    const none = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Paris?' }],
      tools: [weatherTool],
      tool_choice: 'none',
    });
    const afterTool = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'user', content: 'Paris?' },
        {
          role: 'assistant',
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '21C' },
      ],
      tools: [weatherTool],
    });

    expect(none.choices[0]?.message.content).toBe('echo: Paris?');
    expect(afterTool.choices[0]?.finish_reason).toBe('stop');
  });

  it('streams content deltas and a final usage chunk with empty choices', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'stream me please' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);

    const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe('echo: stream me please');
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.at(-1)?.choices).toEqual([]);
    expect(chunks.at(-1)?.usage).toMatchObject({ prompt_tokens: 3, completion_tokens: 4 });
  });

  it('streams tool-call deltas that the SDK stream helper reassembles', async () => {
    const stream = client.chat.completions.stream({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'weather in Paris, France' }],
      tools: [weatherTool],
    });
    const completion = await stream.finalChatCompletion();

    const toolCall = completion.choices[0]?.message.tool_calls?.[0];
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(toolCall).toMatchObject({ type: 'function', function: { name: 'get_weather' } });
    expect(toolCall?.type === 'function' && JSON.parse(toolCall.function.arguments)).toEqual({
      echo: 'weather in Paris, France',
    });
  });

  it('replays the documented tool-call stream fixture through the SDK', async () => {
    upstream.enqueue({ kind: 'sse', chunks: readOpenAIFixture('chat-stream-tool-call-chunks') });
    const stream = client.chat.completions.stream({
      model: 'gpt-4.1',
      messages: [{ role: 'user', content: 'Paris?' }],
    });
    const completion = await stream.finalChatCompletion();

    expect(completion.choices[0]?.message.tool_calls?.[0]).toMatchObject({
      id: 'call_DdmO9pD3xa9XTPNJ32zg2hcA',
      function: { name: 'get_weather', arguments: '{"location":"Paris, France"}' },
    });
  });
});

describe('completions, embeddings and models', () => {
  it('answers the legacy completions endpoint with a text_completion', async () => {
    const completion = await client.completions.create({
      model: 'gpt-3.5-turbo-instruct',
      prompt: 'Say this',
    });

    expect(completion.object).toBe('text_completion');
    expect(completion.choices[0]?.text).toBe('echo: Say this');
  });

  it('streams legacy completions as text_completion events', async () => {
    const stream = await client.completions.create({
      model: 'gpt-3.5-turbo-instruct',
      prompt: 'Say this',
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.text ?? '';

    expect(text).toBe('echo: Say this');
  });

  it('returns one float embedding per input', async () => {
    const response = await client.embeddings.create({
      model: 'text-embedding-3-small',
      input: ['alpha', 'beta'],
      encoding_format: 'float',
    });

    expect(response.object).toBe('list');
    expect(response.model).toBe('text-embedding-3-small');
    expect(response.data.map((item) => item.embedding)).toEqual([embeddingOf('alpha'), embeddingOf('beta')]);
  });

  it('returns base64 embeddings that the SDK decodes to the same floats', async () => {
    const response = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'alpha' });

    expect(upstream.requests[0]?.body).toMatchObject({ encoding_format: 'base64' });
    expect(response.data[0]?.embedding).toEqual(embeddingOf('alpha'));
  });

  it('lists the documented models', async () => {
    const models = [];
    for await (const model of client.models.list()) models.push(model.id);

    expect(models).toEqual(['model-id-0', 'model-id-1', 'model-id-2']);
  });
});

describe('errors', () => {
  it('raises RateLimitError for a scripted 429 with retry-after', async () => {
    upstream.enqueue({ kind: 'error', status: 429, headers: { 'retry-after': '20' } });
    const error = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error).toMatchObject({ status: 429, type: 'requests', code: 'rate_limit_exceeded', param: null });
    const { headers, requestID } = error as InstanceType<typeof OpenAI.RateLimitError>;
    expect(headers.get('retry-after')).toBe('20');
    expect(headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(requestID).toMatch(/^req_[0-9a-f]{32}$/);
  });

  it('raises BadRequestError naming the missing parameter', async () => {
    const error = await client.chat.completions
      .create({ model: 'gpt-4o-mini' } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming)
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({
      param: 'messages',
      code: 'missing_required_parameter',
      type: 'invalid_request_error',
    });
  });

  it('answers invalid JSON and unknown paths with the documented bodies', async () => {
    const invalid = await fetch(`${upstream.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-test' },
      body: '{not json',
    });
    const unknown = await fetch(`${upstream.url}/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-test' },
    });

    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toEqual(readOpenAIFixture('error-400-invalid-json'));
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      error: {
        message: 'Invalid URL (POST /chat/completions)',
        type: 'invalid_request_error',
        param: null,
        code: null,
      },
    });
  });

  it('rejects a wrong API key with AuthenticationError', async () => {
    const stranger = new OpenAI({
      apiKey: 'sk-wrong-key-1234',
      baseURL: `${upstream.url}/v1`,
      maxRetries: 0,
    });
    const error = await stranger.models.list().catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(error).toMatchObject({
      code: 'invalid_api_key',
      message: expect.stringContaining('sk-**********1234'),
    });
  });
});

describe('scripted failures', () => {
  it('counts a hanging request the client aborts', async () => {
    upstream.enqueue({ kind: 'hang' });
    const controller = new AbortController();
    const pending = client.models.list({ signal: controller.signal }).catch((caught: unknown) => caught);
    await vi.waitFor(() => expect(upstream.requests).toHaveLength(1));
    controller.abort();

    expect(await pending).toBeInstanceOf(OpenAI.APIUserAbortError);
    await vi.waitFor(() => expect(upstream.abortedCount()).toBe(1));
  });

  it('resets the socket for a destroy reply', async () => {
    upstream.enqueue({ kind: 'destroy' });
    const error = await client.models.list().catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(OpenAI.APIConnectionError);
    expect(upstream.abortedCount()).toBe(0);
  });

  it('sends the chunks, then closes the connection mid-stream for dropConnection', async () => {
    const chunks = readOpenAIFixture<unknown[]>('chat-stream-chunks').slice(0, 2);
    upstream.enqueue({ kind: 'sse', chunks, dropConnection: true });
    const response = await fetch(`${upstream.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-test' },
    });
    const received: string[] = [];
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    const readAll = async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        received.push(value);
      }
    };

    await expect(readAll()).rejects.toThrow();
    expect(received.join('')).toBe(chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join(''));
    expect(upstream.abortedCount()).toBe(0);
  });

  it('consumes queued replies in order before the handler', async () => {
    upstream.setHandler(() => ({
      kind: 'raw',
      status: 200,
      headers: { 'content-type': 'text/plain' },
      body: 'from handler',
    }));
    upstream.enqueue({ kind: 'json', body: { first: true } });
    const first = await fetch(`${upstream.url}/anything`, { headers: { authorization: 'Bearer sk-test' } });
    const second = await fetch(`${upstream.url}/anything`, { headers: { authorization: 'Bearer sk-test' } });

    expect(await first.json()).toEqual({ first: true });
    expect(await second.text()).toBe('from handler');
    expect(first.headers.get('x-ratelimit-limit-requests')).toBe('10000');
  });
});
