import { ApiError, GoogleGenAI } from '@google/genai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type GoogleUpstream, startGeminiUpstream, vectorFor } from './support/gemini-upstream.js';

// Google's own client pointed at the fake: if it accepts the fake's answers, the fake speaks the real wire format.
const apiKey = 'AIzaSy-sdk-check-key';

let fake: GoogleUpstream;
beforeAll(async () => {
  fake = await startGeminiUpstream({ apiKeys: [apiKey] });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

function client(key = apiKey): GoogleGenAI {
  return new GoogleGenAI({ apiKey: key, httpOptions: { baseUrl: fake.url, retryOptions: { attempts: 1 } } });
}

describe('the fake Gemini upstream, seen by @google/genai', () => {
  it('answers generateContent', async () => {
    const response = await client().models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'How does AI work?',
    });
    expect(response.text).toBe(
      'AI learns patterns from data and uses them to make predictions on new inputs.',
    );
    expect(response.usageMetadata?.totalTokenCount).toBe(23);
    expect(fake.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1beta/models/gemini-2.5-flash:generateContent',
    });
    expect(fake.requests[0]!.headers['x-goog-api-key']).toBe(apiKey);
  });

  it('streams generateContentStream over SSE', async () => {
    const stream = await client().models.generateContentStream({
      model: 'gemini-2.5-flash',
      contents: 'A story, please.',
    });
    let text = '';
    for await (const chunk of stream) text += chunk.text ?? '';
    expect(text).toBe('Once upon a time, in a land far away, a backpack sang. The end.');
    expect(fake.requests[0]!.query.get('alt')).toBe('sse');
  });

  it('embeds content', async () => {
    const response = await client().models.embedContent({
      model: 'gemini-embedding-001',
      contents: ['a', 'b'],
    });
    expect(response.embeddings?.map((embedding) => embedding.values)).toEqual([vectorFor(0), vectorFor(1)]);
    expect(fake.requests[0]!.path).toBe('/v1beta/models/gemini-embedding-001:batchEmbedContents');
  });

  it('raises its ApiError for a rejected key', async () => {
    const calling = client('AIzaSy-wrong').models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'hi',
    });
    await expect(calling).rejects.toBeInstanceOf(ApiError);
    await expect(
      client('AIzaSy-wrong').models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringContaining('API key not valid') });
  });
});
