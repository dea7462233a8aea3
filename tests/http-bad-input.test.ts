import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type GatewayProcess, startGateway } from './support/gateway-process.js';
import { type OpenAIUpstream, startOpenAIUpstream } from './support/openai-upstream.js';
import { getJson, type JsonAnswer, type JsonBody, postJson } from './support/post-json.js';

const secretKey = 'gsk-configured-secret-0123456789abcdef';
const message = [{ role: 'user', content: 'Hello' }];
const valid = { model: 'openai/gpt-4o-mini', messages: message };

let upstream: OpenAIUpstream;
let rejecting: OpenAIUpstream;
let gateway: GatewayProcess;

beforeAll(async () => {
  upstream = await startOpenAIUpstream({ apiKeys: ['sk-valid'] });
  rejecting = await startOpenAIUpstream({ apiKeys: ['gsk-the-only-valid-key'] });
  gateway = await startGateway({
    config: {
      client: { max_request_body_size_mb: 1 },
      providers: {
        openai: { keys: [{ value: 'sk-valid' }], network_config: { base_url: upstream.url } },
        groq: { keys: [{ value: secretKey }], network_config: { base_url: rejecting.url } },
      },
    },
    // Debug logging, so the check that the key never reaches the logs covers every line the gateway can write.
    args: ['-log-level', 'debug'],
  });
});
afterEach(() => {
  upstream.reset();
  rejecting.reset();
});
afterAll(async () => {
  await gateway?.stop();
  await Promise.all([upstream?.close(), rejecting?.close()]);
});

/** A 4xx in BifrostError shape, from the gateway itself, with nothing sent upstream. */
function expectRefusal(answer: JsonAnswer, status: number, code: string): void {
  expect(answer.status).toBe(status);
  expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
  expect(answer.body).toMatchObject({
    is_bifrost_error: true,
    status_code: status,
    error: { message: expect.any(String) },
    extra_fields: { error_code: code },
  });
  expect(upstream.requests).toHaveLength(0);
}

async function expectStillServing(): Promise<void> {
  const answer = await postJson(`${gateway.url}/v1/chat/completions`, valid);
  expect(answer.status).toBe(200);
}

describe('malformed bodies', () => {
  it.each([
    ['invalid JSON', '{"model": "openai/gpt-4o-mini",', /not valid JSON/],
    ['an empty body', '', /empty/],
    ['an array', '[1, 2]', /must be a JSON object/],
    ['a string', '"hello"', /must be a JSON object/],
    ['null', 'null', /must be a JSON object/],
  ])('refuses %s with 400', async (_label, body, pattern) => {
    const answer = await postJson(`${gateway.url}/v1/chat/completions`, body);

    expectRefusal(answer, 400, 'invalid_request');
    expect(answer.body.error.message).toMatch(pattern);
    await expectStillServing();
  });
});

describe('invalid fields', () => {
  it.each([
    ['a missing model', { messages: message }, 'model'],
    ['a model without provider', { model: 'gpt-4o-mini', messages: message }, 'model'],
    ['an unknown provider field', { provider: 'nope', model: 'gpt-4o-mini', messages: message }, 'provider'],
    ['missing messages', { model: 'openai/gpt-4o-mini' }, 'messages'],
    ['messages that are not an array', { model: 'openai/gpt-4o-mini', messages: 'Hello' }, 'messages'],
    ['empty messages', { model: 'openai/gpt-4o-mini', messages: [] }, 'messages'],
    [
      'a bad role',
      { model: 'openai/gpt-4o-mini', messages: [{ role: 'robot', content: 'Hi' }] },
      'messages[0].role',
    ],
    [
      'a bad content part',
      {
        model: 'openai/gpt-4o-mini',
        messages: [message[0], { role: 'user', content: [{ type: 'video', video: 'x' }] }],
      },
      'messages[1].content[0].type',
    ],
    ['a temperature of the wrong type', { ...valid, temperature: 'hot' }, 'temperature'],
    ['a nested param of the wrong type', { ...valid, params: { max_tokens: -1 } }, 'params.max_tokens'],
    ['a fallback without a model', { ...valid, fallbacks: ['groq'] }, 'fallbacks[0]'],
    ['a fallback of the wrong type', { ...valid, fallbacks: [42] }, 'fallbacks[0]'],
    ['fallbacks that are not an array', { ...valid, fallbacks: 'groq/llama-3.1-8b-instant' }, 'fallbacks'],
    ['a non-boolean stream', { ...valid, stream: 'yes' }, 'stream'],
  ])('refuses %s with a 400 naming the field', async (_label, body, field) => {
    const answer = await postJson(`${gateway.url}/v1/chat/completions`, body);

    expectRefusal(answer, 400, 'invalid_request');
    expect(answer.body.error.param).toBe(field);
    expect(answer.body.error.message.startsWith(`${field}: `)).toBe(true);
    await expectStillServing();
  });

  it('names the unknown provider in a "provider/model" reference', async () => {
    const answer = await postJson(`${gateway.url}/v1/chat/completions`, {
      model: 'nope/gpt-4o-mini',
      messages: message,
    });

    expectRefusal(answer, 400, 'invalid_request');
    expect(answer.body.error.param).toBe('model');
    expect(answer.body.error.message).toMatch(/unknown provider "nope"/);
  });

  it.each([
    ['/v1/embeddings', { model: 'openai/text-embedding-3-small' }, 'input'],
    ['/v1/embeddings', { model: 'openai/text-embedding-3-small', input: [] }, 'input'],
    ['/v1/text/completions', { model: 'openai/gpt-3.5-turbo-instruct', prompt: 7 }, 'prompt'],
    ['/v1/text/completions', { model: 'openai/gpt-3.5-turbo-instruct', text: 'Hi', stream: true }, 'stream'],
  ])('refuses a bad body on %s with a 400 naming %j', async (path, body, field) => {
    const answer = await postJson(`${gateway.url}${path}`, body);

    expectRefusal(answer, 400, 'invalid_request');
    expect(answer.body.error.param).toBe(field);
  });

  it('refuses a provider that is not configured with 400', async () => {
    const answer = await postJson(`${gateway.url}/v1/chat/completions`, {
      ...valid,
      model: 'anthropic/claude-3-5-haiku',
    });

    expectRefusal(answer, 400, 'provider_not_configured');
    expect(answer.body.error.message).toMatch(/anthropic/);
  });
});

describe('body size and routes', () => {
  const oversized = JSON.stringify({
    ...valid,
    messages: [{ role: 'user', content: 'x'.repeat(2 * 1024 * 1024) }],
  });
  // One connection, so the follow-up request goes where the refused body went (or on a fresh one if the
  // gateway closed it): a refusal must not leave a keep-alive connection that never answers again.
  let agent: Agent;

  beforeEach(() => {
    agent = new Agent({ connections: 1, pipelining: 1 });
  });
  afterEach(() => agent.destroy());

  async function send(
    body: string | ReadableStream<Uint8Array>,
  ): Promise<{ status: number; body: JsonBody }> {
    const response = await undiciFetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half',
      dispatcher: agent,
      signal: AbortSignal.timeout(4_000),
    });
    return { status: response.status, body: await response.json() };
  }

  it('refuses a body over max_request_body_size_mb with 413 when Content-Length declares it', async () => {
    const answer = await send(oversized);

    expect(answer.status).toBe(413);
    expect(answer.body).toMatchObject({
      is_bifrost_error: true,
      error: { message: expect.stringContaining('max_request_body_size_mb') },
      extra_fields: { error_code: 'payload_too_large' },
    });
    expect((await send(JSON.stringify(valid))).status).toBe(200);
    expect(upstream.requests).toHaveLength(1);
  });

  it('refuses a chunked body over the limit with 413 while reading it', async () => {
    const bytes = new TextEncoder().encode(oversized);
    const chunked = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let offset = 0; offset < bytes.length; offset += 64 * 1024) {
          controller.enqueue(bytes.subarray(offset, offset + 64 * 1024));
        }
        controller.close();
      },
    });
    const answer = await send(chunked);

    expect(answer.status).toBe(413);
    expect(answer.body).toMatchObject({ extra_fields: { error_code: 'payload_too_large' } });
    expect((await send(JSON.stringify(valid))).status).toBe(200);
    expect(upstream.requests).toHaveLength(1);
  });

  it('answers an unknown route with a JSON 404', async () => {
    const answer = await getJson(`${gateway.url}/v1/not-a-route`);

    expectRefusal(answer, 404, 'not_found');
    expect(answer.body.error.message).toContain('/v1/not-a-route');
  });
});

describe('provider errors', () => {
  it("passes a 401 through with the provider's message and never reveals the configured key", async () => {
    const answer = await postJson(`${gateway.url}/v1/chat/completions`, {
      model: 'groq/llama-3.1-8b-instant',
      messages: message,
    });

    expect(rejecting.requests).toHaveLength(1);
    expect(rejecting.requests[0]!.headers.authorization).toBe(`Bearer ${secretKey}`);
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({
      is_bifrost_error: false,
      status_code: 401,
      error: {
        code: 'invalid_api_key',
        message: expect.stringMatching(/^Incorrect API key provided: gsk\*+cdef\./),
      },
      extra_fields: { provider: 'groq', model: 'llama-3.1-8b-instant' },
    });
    expect(JSON.stringify(answer.body)).not.toContain(secretKey);
    await expectStillServing();
    expect(gateway.stdout.join('\n')).not.toContain(secretKey);
    expect(gateway.stderr.join('\n')).not.toContain(secretKey);
  });
});
