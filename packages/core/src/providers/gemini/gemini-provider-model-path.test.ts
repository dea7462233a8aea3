import { providerConfigSchema } from '@bifrost/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MockUpstream } from '../../testing/mock-upstream.js';
import { rejection } from '../../testing/rejection.js';
import { readGeminiFixture } from './__fixtures__/read-gemini-fixture.js';
import { GeminiProvider } from './gemini-provider.js';

// The model name comes from the caller and goes into the URL path, next to the gateway's key.
const google = 'https://generativelanguage.googleapis.com';
const key = { value: 'AIza-test-key', models: [], weight: 1 };
const messages = [{ role: 'user' as const, content: 'Hi' }];

let upstream: MockUpstream;
beforeEach(() => {
  upstream = new MockUpstream();
});
afterEach(async () => {
  await upstream.agent.close();
});

function provider(): GeminiProvider {
  return new GeminiProvider(providerConfigSchema.parse({}), upstream.agent);
}

describe('GeminiProvider model names in the path', () => {
  it('refuses a model with dot segments before anything is sent', async () => {
    const model = '../../v1beta/files?pageSize=1&x=';
    const error = await rejection(
      provider().chatCompletion({ provider: 'gemini', model, messages }, { key }),
    );
    expect(error).toMatchObject({
      code: 'invalid_request',
      statusCode: 400,
      param: 'model',
      provider: 'gemini',
    });
    await expect(
      provider().chatCompletionStream({ provider: 'gemini', model, messages }, { key }),
    ).rejects.toMatchObject({ param: 'model' });
    await expect(
      provider().embedding({ provider: 'gemini', model: '..', input: 'x' }, { key }),
    ).rejects.toMatchObject({ param: 'model' });
    expect(upstream.requests).toEqual([]);
  });

  it('sends a model with /, ? and # as one encoded segment under models/', async () => {
    const path = '/v1beta/models/tuned%2Fa%3Fb%23c:generateContent';
    upstream.reply(google, path, 200, readGeminiFixture('generate-content'));
    await provider().chatCompletion({ provider: 'gemini', model: 'tuned/a?b#c', messages }, { key });
    expect(upstream.requests.map((request) => request.path)).toEqual([path]);
  });
});
