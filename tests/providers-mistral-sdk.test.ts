import { Mistral } from '@mistralai/mistralai';
import { HTTPValidationError, MistralError } from '@mistralai/mistralai/models/errors';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type MistralUpstream,
  readMistralFixture,
  startMistralUpstream,
} from './support/mistral-upstream.js';

// Mistral's own client checks the fake: if it can talk to it, the engine suite tests the real wire format.
const apiKey = 'mistral-key-0123456789';
let fake: MistralUpstream;

beforeAll(async () => {
  fake = await startMistralUpstream({ apiKeys: [apiKey] });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const client = (key = apiKey) =>
  new Mistral({ apiKey: key, serverURL: fake.url, retryConfig: { strategy: 'none' } });

describe('the Mistral fake, checked with @mistralai/mistralai', () => {
  it('answers chat.complete', async () => {
    const answer = await client().chat.complete({
      model: 'mistral-small-latest',
      messages: [{ role: 'user', content: 'What is the best French cheese?' }],
      randomSeed: 42,
    });
    expect(answer.choices[0]?.message?.content).toContain('Comté');
    expect(answer.usage.totalTokens).toBe(50);
    const [request] = fake.requests;
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.headers.authorization).toBe(`Bearer ${apiKey}`);
    expect(request?.body).toMatchObject({ random_seed: 42, stream: false });
  });

  it('streams chat.stream', async () => {
    const stream = await client().chat.stream({
      model: 'mistral-small-latest',
      messages: [{ role: 'user', content: 'What is the best French cheese?' }],
    });
    let text = '';
    let lastUsage: unknown;
    for await (const event of stream) {
      const content = event.data.choices[0]?.delta.content;
      if (typeof content === 'string') text += content;
      lastUsage = event.data.usage ?? lastUsage;
    }
    expect(text).toBe('Comté is a classic.');
    expect(lastUsage).toMatchObject({ totalTokens: 16 });
  });

  it('parses tool calls and thinking chunks', async () => {
    fake.enqueue({ kind: 'json', body: readMistralFixture('chat-completion-tool-call') });
    const tool = await client().chat.complete({
      model: 'mistral-large-latest',
      messages: [{ role: 'user', content: 'Paid?' }],
    });
    expect(tool.choices[0]?.message?.toolCalls?.[0]?.id).toBe('D681PevKs');

    fake.enqueue({ kind: 'json', body: readMistralFixture('chat-completion-reasoning') });
    const reasoning = await client().chat.complete({
      model: 'magistral-medium-latest',
      messages: [{ role: 'user', content: 'Brothers?' }],
    });
    const content = reasoning.choices[0]?.message?.content;
    expect(Array.isArray(content) && content[0]?.type).toBe('thinking');
  });

  it('answers embeddings.create', async () => {
    const answer = await client().embeddings.create({
      model: 'mistral-embed',
      inputs: ['Embed this sentence.', 'As well as this one.'],
    });
    expect(answer.data).toHaveLength(2);
    expect(fake.requests[0]?.body).toEqual({
      model: 'mistral-embed',
      input: ['Embed this sentence.', 'As well as this one.'],
    });
  });

  it('raises the SDK’s typed errors for a 422 and a wrong key', async () => {
    fake.enqueue({ kind: 'json', status: 422, body: readMistralFixture('error-422-validation') });
    const invalid = await client()
      .chat.complete({ model: 'mistral-small-latest', messages: [{ role: 'user', content: 'hi' }] })
      .catch((error: unknown) => error);
    expect(invalid).toBeInstanceOf(HTTPValidationError);
    expect((invalid as HTTPValidationError).detail?.[0]?.msg).toBe('Field required');

    const refused = await client('wrong-key')
      .chat.complete({ model: 'mistral-small-latest', messages: [{ role: 'user', content: 'hi' }] })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(MistralError);
    expect((refused as MistralError).statusCode).toBe(401);
  });
});
