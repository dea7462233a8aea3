import { readFileSync } from 'node:fs';
import { providerConfigSchema } from '@bifrost/schemas';
import { Agent } from 'undici';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MockUpstream } from '../../testing/mock-upstream.js';
import { AzureProvider } from './azure-provider.js';

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`./__fixtures__/${name}.json`, import.meta.url), 'utf8'));
}

const dispatcher = new Agent();
afterAll(() => dispatcher.close());

const build = (meta: Record<string, unknown>) => () =>
  new AzureProvider(providerConfigSchema.parse({ meta_config: meta }), dispatcher);

describe('AzureProvider configuration', () => {
  it('needs an endpoint that is a URL', () => {
    expect(build({})).toThrow('azure needs meta_config.endpoint');
    expect(build({ endpoint: 'my-resource' })).toThrow('azure meta_config.endpoint is not a URL');
  });

  it('names the Entra ID fields a partial set is missing', () => {
    expect(build({ endpoint: 'https://r.openai.azure.com', client_id: 'app' })).toThrow(
      'missing: tenant_id, client_secret',
    );
  });

  it('needs a key only without Entra ID credentials', () => {
    expect(build({ endpoint: 'https://r.openai.azure.com' })().requiresKey).toBe(true);
    const entra = build({
      endpoint: 'https://r.openai.azure.com',
      tenant_id: 'tenant',
      client_id: 'app',
      client_secret: 'secret',
    })();
    expect(entra.requiresKey).toBe(false);
  });
});

describe('AzureProvider deployment names in the path', () => {
  const endpoint = 'https://r.openai.azure.com';
  const messages = [{ role: 'user' as const, content: 'Hi' }];
  const key = { value: 'azure-test-key', models: [], weight: 1 };
  let upstream: MockUpstream;
  beforeEach(() => {
    upstream = new MockUpstream();
  });
  afterEach(() => upstream.agent.close());

  const provider = (meta: Record<string, unknown> = {}) =>
    new AzureProvider(providerConfigSchema.parse({ meta_config: { endpoint, ...meta } }), upstream.agent);

  it('refuses a model taken as the deployment when it has dot segments', async () => {
    await expect(
      provider().chatCompletion({ provider: 'azure', model: '../../other/chat', messages }, { key }),
    ).rejects.toMatchObject({ code: 'invalid_request', statusCode: 400, param: 'model' });
    expect(upstream.requests).toEqual([]);
  });

  it('encodes the deployment as one segment before the api-version query', async () => {
    const path = '/openai/deployments/gpt%2F4o%3Fx%3D1%23f/chat/completions?api-version=2024-10-21';
    upstream.reply(endpoint, path, 200, fixture('chat-completion'));
    await provider().chatCompletion({ provider: 'azure', model: 'gpt/4o?x=1#f', messages }, { key });
    expect(upstream.requests.map((request) => request.path)).toEqual([path]);
  });
});
