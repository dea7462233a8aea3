import { providerConfigSchema } from '@bifrost/schemas';
import { Agent } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { AzureProvider } from './azure-provider.js';

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
