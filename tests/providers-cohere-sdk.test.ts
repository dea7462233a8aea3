import { Cohere, CohereClientV2, type CohereError } from 'cohere-ai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readCohereFixture } from '../packages/core/src/providers/cohere/__fixtures__/read-cohere-fixture.js';
import { type CohereUpstream, startCohereUpstream } from './support/cohere-upstream.js';

const apiKey = 'co-sdk-7d2e41';
let upstream: CohereUpstream;
let client: CohereClientV2;

beforeAll(async () => {
  upstream = await startCohereUpstream({ apiKeys: [apiKey] });
  client = new CohereClientV2({ token: apiKey, environment: upstream.url, maxRetries: 0 });
});
afterEach(() => upstream.reset());
afterAll(() => upstream.close());

describe('the official cohere-ai SDK against the fake Cohere', () => {
  it('reads a chat answer', async () => {
    const answer = await client.chat({
      model: 'command-a-03-2025',
      messages: [{ role: 'user', content: 'Tell me about LLMs' }],
    });
    expect(answer.finishReason).toBe('COMPLETE');
    expect(answer.message.content?.[0]).toMatchObject({
      type: 'text',
      text: expect.stringMatching(/^LLMs stand for/),
    });
    expect(answer.usage?.tokens).toEqual({ inputTokens: 215, outputTokens: 22 });
    expect(upstream.requests[0]?.headers.authorization).toBe(`Bearer ${apiKey}`);
  });

  it('reads a chat stream event by event', async () => {
    upstream.enqueue({ kind: 'stream', events: readCohereFixture('chat-stream-tool-call-events') });
    const types: string[] = [];
    let argumentsText = '';
    let finish: string | undefined;
    for await (const event of await client.chatStream({
      model: 'command-a-03-2025',
      messages: [{ role: 'user', content: 'Weather?' }],
    })) {
      types.push(event.type);
      if (event.type === 'tool-call-delta')
        argumentsText += event.delta?.message?.toolCalls?.function?.arguments ?? '';
      if (event.type === 'message-end') finish = event.delta?.finishReason;
    }
    expect(upstream.requests[0]?.body).toMatchObject({ stream: true });
    expect(types[0]).toBe('message-start');
    expect(types.at(-1)).toBe('message-end');
    expect(argumentsText).toBe('{"location": "San Francisco"}{"location": "Paris"}');
    expect(finish).toBe('TOOL_CALL');
  });

  it('reads embeddings', async () => {
    const answer = await client.embed({
      model: 'embed-v4.0',
      texts: ['hello', 'goodbye'],
      inputType: 'search_document',
      embeddingTypes: ['float'],
    });
    expect(answer.embeddings.float).toHaveLength(2);
    expect(upstream.requests[0]?.body).toMatchObject({
      input_type: 'search_document',
      embedding_types: ['float'],
    });
  });

  it('raises its typed TooManyRequestsError for a 429', async () => {
    upstream.enqueue({ kind: 'error', status: 429 });
    const error = await client
      .chat({ model: 'command-a-03-2025', messages: [{ role: 'user', content: 'Hi' }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Cohere.TooManyRequestsError);
    expect((error as CohereError).statusCode).toBe(429);
    expect((error as CohereError).body).toMatchObject({ message: expect.stringContaining('Trial key') });
  });
});
