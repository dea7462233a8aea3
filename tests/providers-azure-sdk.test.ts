import { AuthenticationError, AzureOpenAI, BadRequestError } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AzureUpstream, readAzureFixture, startAzureUpstream } from './support/azure-upstream.js';

// The official client checks the fake: if Azure's own SDK can talk to it, the engine suite tests the real thing.
const apiKey = 'azure-key-0123456789';
let fake: AzureUpstream;

beforeAll(async () => {
  fake = await startAzureUpstream({
    apiKeys: [apiKey],
    deployments: ['gpt-4o-deploy'],
    entraClients: { 'client-app-id': 'client-secret-value-123' },
  });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

function client(options: { apiKey?: string; azureADTokenProvider?: () => Promise<string> } = { apiKey }) {
  return new AzureOpenAI({
    ...options,
    endpoint: fake.url,
    apiVersion: '2024-10-21',
    deployment: 'gpt-4o-deploy',
    maxRetries: 0,
  });
}

describe('the Azure fake, checked with the openai SDK’s AzureOpenAI client', () => {
  it('answers a chat completion', async () => {
    const completion = await client().chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Hello!' }],
    });
    expect(completion.choices[0]?.message.content).toBe('Hello! How can I help you today?');
    const [request] = fake.requests;
    expect(request?.path).toBe('/openai/deployments/gpt-4o-deploy/chat/completions');
    expect(request?.query.get('api-version')).toBe('2024-10-21');
    expect(request?.headers['api-key']).toBe(apiKey);
  });

  it('streams, annotation chunk included', async () => {
    const stream = await client().chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Hello!' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      text += chunk.choices[0]?.delta.content ?? '';
    }
    expect(chunks).toBe(readAzureFixture<unknown[]>('chat-stream-chunks').length);
    expect(text).toBe('Hello there!');
  });

  it('raises the SDK’s typed errors for a content filter and a wrong key', async () => {
    fake.enqueue({ kind: 'json', status: 400, body: readAzureFixture('error-400-content-filter') });
    const filtered = await client()
      .chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'bad' }] })
      .catch((error: unknown) => error);
    expect(filtered).toBeInstanceOf(BadRequestError);
    expect((filtered as BadRequestError).code).toBe('content_filter');

    const refused = await client({ apiKey: 'wrong' })
      .chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AuthenticationError);
  });

  it('accepts a bearer token issued by its token endpoint', async () => {
    const response = await fetch(`${fake.url}/tenant-1/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: 'client-app-id',
        client_secret: 'client-secret-value-123',
        scope: 'https://cognitiveservices.azure.com/.default',
      }),
    });
    const { access_token: token } = (await response.json()) as { access_token: string };
    const completion = await client({ azureADTokenProvider: async () => token }).chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Hello!' }],
    });
    expect(completion.id).toBe('chatcmpl-AEYZcjG0E3Tma5mB0ZjnMgtyGE2Kx');
    expect(fake.requests.at(-1)?.headers.authorization).toBe(`Bearer ${token}`);
  });
});
