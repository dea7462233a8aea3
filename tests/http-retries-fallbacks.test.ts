import OpenAI from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayProcess, startGateway } from './support/gateway-process.js';
import { openAIErrorBody } from './support/openai-error-body.js';
import { type OpenAIUpstream, startOpenAIUpstream } from './support/openai-upstream.js';
import { postJson } from './support/post-json.js';

// Backoff of a few milliseconds keeps the suite fast; only request counts and headers are asserted.
const fastRetries = { max_retries: 2, retry_backoff_initial: 1, retry_backoff_max: 5 };
const messages = [{ role: 'user', content: 'Hello' }];

let primary: OpenAIUpstream;
let fallback: OpenAIUpstream;
let gateway: GatewayProcess;

beforeAll(async () => {
  primary = await startOpenAIUpstream({ apiKeys: ['sk-openai'] });
  fallback = await startOpenAIUpstream({ apiKeys: ['gsk-groq'] });
  gateway = await startGateway({
    config: {
      providers: {
        openai: { keys: [{ value: 'sk-openai' }], network_config: { base_url: primary.url, ...fastRetries } },
        groq: { keys: [{ value: 'gsk-groq' }], network_config: { base_url: fallback.url } },
      },
    },
  });
});
afterEach(() => {
  primary.reset();
  fallback.reset();
});
afterAll(async () => {
  await gateway?.stop();
  await Promise.all([primary?.close(), fallback?.close()]);
});

function chat(body: Record<string, unknown> = {}) {
  return postJson(`${gateway.url}/v1/chat/completions`, { model: 'openai/gpt-4o-mini', messages, ...body });
}

describe('retries', () => {
  it('retries 500s and succeeds on the third attempt, reporting two retries', async () => {
    primary.enqueue({ kind: 'error', status: 500 }, { kind: 'error', status: 500 });

    const answer = await chat();

    expect(answer.status).toBe(200);
    expect(primary.requests).toHaveLength(3);
    expect(answer.headers.get('x-bf-retries')).toBe('2');
    expect(answer.body.extra_fields).toMatchObject({ provider: 'openai', model: 'gpt-4o-mini', retries: 2 });
    expect(answer.body.choices[0].message.content).toBe('echo: Hello');
  });

  it('gives up after max_retries and answers with the last 503', async () => {
    primary.setHandler(() => ({ kind: 'error', status: 503 }));

    const answer = await chat();

    expect(primary.requests).toHaveLength(3);
    expect(answer.status).toBe(503);
    expect(answer.headers.get('x-bf-retries')).toBe('2');
    expect(answer.body).toMatchObject({
      is_bifrost_error: false,
      status_code: 503,
      error: { message: openAIErrorBody(503).error.message },
      extra_fields: { provider: 'openai', model: 'gpt-4o-mini', retries: 2 },
    });
  });

  it('does not retry a 400', async () => {
    primary.enqueue({ kind: 'error', status: 400, param: 'messages', message: 'Bad messages.' });

    const answer = await chat();

    expect(primary.requests).toHaveLength(1);
    expect(answer.status).toBe(400);
    expect(answer.headers.get('x-bf-retries')).toBe('0');
    expect(answer.body.error).toMatchObject({ message: 'Bad messages.', param: 'messages' });
  });

  it('retries a 429 that says retry-after: 0', async () => {
    primary.enqueue({ kind: 'error', status: 429, headers: { 'retry-after': '0' } });

    const answer = await chat();

    expect(answer.status).toBe(200);
    expect(primary.requests).toHaveLength(2);
    expect(answer.headers.get('x-bf-retries')).toBe('1');
  });

  it('does not wait out a long retry-after, and passes it on', async () => {
    primary.enqueue({ kind: 'error', status: 429, headers: { 'retry-after': '120' } });

    const answer = await chat();

    expect(primary.requests).toHaveLength(1);
    expect(answer.status).toBe(429);
    expect(answer.headers.get('retry-after')).toBe('120');
  });

  it('retries a dropped connection', async () => {
    primary.enqueue({ kind: 'destroy' });

    const answer = await chat();

    expect(answer.status).toBe(200);
    expect(primary.requests).toHaveLength(2);
    expect(answer.headers.get('x-bf-retries')).toBe('1');
  });
});

describe('fallbacks', () => {
  it('answers from the fallback provider when the primary keeps failing', async () => {
    primary.setHandler(() => ({ kind: 'error', status: 500 }));

    const answer = await chat({ fallbacks: ['groq/llama-3.1-8b-instant'] });

    expect(answer.status).toBe(200);
    expect(primary.requests).toHaveLength(3);
    expect(fallback.requests).toHaveLength(1);
    const [request] = fallback.requests;
    expect(request!.path).toBe('/v1/chat/completions');
    expect(request!.headers.authorization).toBe('Bearer gsk-groq');
    expect(request!.body).toEqual({ model: 'llama-3.1-8b-instant', messages });
    expect(answer.body.model).toBe('llama-3.1-8b-instant');
    expect(answer.body.extra_fields).toMatchObject({
      provider: 'groq',
      model: 'llama-3.1-8b-instant',
      fallback_index: 1,
    });
  });

  it('accepts the v1.0 fallback shape {provider, model}', async () => {
    primary.setHandler(() => ({ kind: 'error', status: 502 }));

    const answer = await chat({ fallbacks: [{ provider: 'groq', model: 'llama-3.1-8b-instant' }] });

    expect(answer.status).toBe(200);
    expect(answer.body.extra_fields).toMatchObject({ provider: 'groq', fallback_index: 1 });
  });

  it('does not fall back after a 400 from the primary', async () => {
    primary.enqueue({ kind: 'error', status: 400, message: 'Unsupported value.' });

    const answer = await chat({ fallbacks: ['groq/llama-3.1-8b-instant'] });

    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toBe('Unsupported value.');
    expect(fallback.requests).toHaveLength(0);
  });

  it("answers with the primary's error when every provider fails", async () => {
    primary.setHandler(() => ({ kind: 'error', status: 500, message: 'The primary is down.' }));
    fallback.setHandler(() => ({ kind: 'error', status: 503, message: 'The fallback is down.' }));

    const answer = await chat({ fallbacks: ['groq/llama-3.1-8b-instant'] });

    expect(fallback.requests).toHaveLength(1);
    expect(answer.status).toBe(500);
    expect(answer.body).toMatchObject({
      status_code: 500,
      error: { message: 'The primary is down.' },
      extra_fields: { provider: 'openai', model: 'gpt-4o-mini' },
    });
  });

  it('falls back for a stream that fails before its first chunk', async () => {
    primary.setHandler(() => ({ kind: 'error', status: 500 }));
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'unused', maxRetries: 0 });

    const stream = await client.chat.completions.create({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'Stream please' }],
      stream: true,
      // A gateway field the SDK does not know; it travels in the body as is.
      ...({ fallbacks: ['groq/llama-3.1-8b-instant'] } as object),
    });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);

    expect(primary.requests).toHaveLength(3);
    expect(fallback.requests).toHaveLength(1);
    expect(fallback.requests[0]!.body).toMatchObject({ model: 'llama-3.1-8b-instant', stream: true });
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('echo: Stream please');
    const last = chunks.at(-1) as ChatCompletionChunk & { extra_fields?: unknown };
    expect(last.extra_fields).toMatchObject({
      provider: 'groq',
      model: 'llama-3.1-8b-instant',
      fallback_index: 1,
    });
  });
});
