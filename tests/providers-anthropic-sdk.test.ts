import Anthropic, { AuthenticationError, OverloadedError, RateLimitError } from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type AnthropicUpstream,
  readAnthropicFixture,
  readAnthropicStreamFixture,
  startAnthropicUpstream,
} from './support/anthropic-upstream.js';

// Anthropic's own SDK as the client checks that the fake speaks the wire format its vendor wrote a client for.
const apiKey = 'sk-ant-sdk-check';
// A model this SDK does not flag as deprecated, so it prints no warnings.
const model = 'claude-sonnet-5-5';
let fake: AnthropicUpstream;
let client: Anthropic;

beforeAll(async () => {
  fake = await startAnthropicUpstream({ apiKeys: [apiKey] });
  client = new Anthropic({ apiKey, baseURL: fake.url, maxRetries: 0 });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

describe('the Anthropic SDK against the fake upstream', () => {
  it('reads a documented message', async () => {
    fake.enqueue({ kind: 'json', body: readAnthropicFixture('message') });
    const message = await client.messages.create({
      model: model,
      max_tokens: 1024,
      messages: [{ role: 'user', content: 'Hello, Claude' }],
    });
    expect(message.content).toEqual([{ type: 'text', text: 'Hi! My name is Claude.' }]);
    expect(message.usage.input_tokens).toBe(2095);
    // This SDK generation sends the key as a bearer token and its own API version date.
    expect(fake.requests[0]!.headers.authorization).toBe(`Bearer ${apiKey}`);
    expect(fake.requests[0]!.headers['anthropic-version']).toEqual(expect.any(String));
    expect(fake.requests[0]!.path).toBe('/v1/messages');
  });

  it('assembles the documented tool-use stream with messages.stream', async () => {
    fake.enqueue({ kind: 'stream', events: readAnthropicStreamFixture('stream-tool-use') });
    const stream = client.messages.stream({
      model: model,
      max_tokens: 1024,
      messages: [{ role: 'user', content: 'What is the weather like in San Francisco?' }],
    });
    const message = await stream.finalMessage();
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content[1]).toEqual({
      type: 'tool_use',
      id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
      name: 'get_weather',
      input: { location: 'San Francisco, CA', unit: 'fahrenheit' },
    });
    expect(message.usage.output_tokens).toBe(89);
  });

  it('iterates the raw events of the thinking stream with create({stream: true})', async () => {
    fake.enqueue({ kind: 'stream', events: readAnthropicStreamFixture('stream-thinking') });
    const stream = await client.messages.create({
      model: model,
      max_tokens: 4096,
      stream: true,
      thinking: { type: 'adaptive' },
      messages: [{ role: 'user', content: 'GCD of 1071 and 462?' }],
    });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
  });

  it('raises the typed errors for a 429, a 529 and a wrong key', async () => {
    fake.enqueue(
      { kind: 'error', status: 429, headers: { 'retry-after': '5' } },
      { kind: 'error', status: 529 },
    );
    const request = { model: model, max_tokens: 16, messages: [{ role: 'user' as const, content: 'x' }] };
    const rateLimited = await client.messages.create(request).catch((error: unknown) => error);
    expect(rateLimited).toBeInstanceOf(RateLimitError);
    expect((rateLimited as RateLimitError).error).toMatchObject({
      type: 'error',
      error: { type: 'rate_limit_error' },
    });
    expect(await client.messages.create(request).catch((error: unknown) => error)).toBeInstanceOf(
      OverloadedError,
    );
    const stranger = new Anthropic({ apiKey: 'sk-ant-wrong', baseURL: fake.url, maxRetries: 0 });
    const refused = await stranger.messages.create(request).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AuthenticationError);
    expect((refused as AuthenticationError).message).toContain('invalid x-api-key');
  });

  it('lists models', async () => {
    const page = await client.models.list();
    expect(page.data.map((model) => model.id)).toEqual([
      'claude-sonnet-4-5-20250929',
      'claude-3-5-haiku-20241022',
    ]);
  });
});
