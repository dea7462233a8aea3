import { describe, expect, it } from 'vitest';
import { ConfigAccount } from './config-account.js';
import { defaultConfig } from './default-config.js';
import { parseConfig } from './parse-config.js';

describe('defaultConfig', () => {
  it('configures each available provider whose API-key variable is set, plus ollama', () => {
    const config = defaultConfig({ OPENAI_API_KEY: 'sk-1', GROQ_API_KEY: 'gsk-1', MISTRAL_API_KEY: '' });
    expect(Object.keys(config.providers).sort()).toEqual(['groq', 'ollama', 'openai']);
    expect(config.providers.openai?.keys).toEqual([{ value: 'sk-1', models: [], weight: 1 }]);
    expect(config.providers.openai?.concurrency_and_buffer_size).toEqual({
      concurrency: 1000,
      buffer_size: 5000,
      max_queue_wait_in_seconds: 5,
    });
  });

  it('configures the translated providers from the variables their SDKs read', () => {
    const config = defaultConfig({ ANTHROPIC_API_KEY: 'sk-ant', GOOGLE_API_KEY: 'g', CO_API_KEY: 'co' });
    expect(Object.keys(config.providers).sort()).toEqual(['anthropic', 'cohere', 'gemini', 'ollama']);
    expect(config.providers.gemini?.keys).toEqual([{ value: 'g', models: [], weight: 1 }]);
  });

  it('configures Azure, Bedrock and Vertex only when all their required variables are set', () => {
    expect(Object.keys(defaultConfig({ AZURE_API_KEY: 'a', AWS_ACCESS_KEY_ID: 'AKIA' }).providers)).toEqual([
      'ollama',
    ]);
    const config = defaultConfig({
      AZURE_API_KEY: 'az',
      AZURE_ENDPOINT: 'https://res.openai.azure.com',
      AWS_ACCESS_KEY_ID: 'AKIA',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_REGION: 'eu-west-1',
      VERTEX_PROJECT_ID: 'proj',
      VERTEX_CREDENTIALS: '{"type":"service_account"}',
    });
    expect(config.providers.azure?.meta_config).toEqual({ endpoint: 'https://res.openai.azure.com' });
    expect(config.providers.bedrock?.keys[0]?.value).toBe('AKIA');
    expect(config.providers.bedrock?.meta_config).toEqual({
      secret_access_key: 'secret',
      region: 'eu-west-1',
    });
    expect(config.providers.vertex?.meta_config).toMatchObject({ project_id: 'proj' });
    expect(defaultConfig({ AWS_BEARER_TOKEN_BEDROCK: 'bedrock-key' }).providers.bedrock?.keys[0]?.value).toBe(
      'bedrock-key',
    );
  });

  it('always adds keyless ollama on localhost, unless OLLAMA_BASE_URL moves it', () => {
    expect(defaultConfig({}).providers.ollama).toMatchObject({
      keys: [],
      network_config: { base_url: 'http://localhost:11434' },
    });
    expect(
      defaultConfig({ OLLAMA_BASE_URL: 'http://gpu-box:11434' }).providers.ollama?.network_config.base_url,
    ).toBe('http://gpu-box:11434');
  });
});

describe('ConfigAccount', () => {
  const config = parseConfig(
    {
      providers: {
        openai: { keys: [{ value: 'sk-1', models: ['gpt-4o'] }] },
        ollama: { network_config: { base_url: 'http://localhost:11434' } },
      },
    },
    { env: {} },
  );
  const account = new ConfigAccount(config);

  it('lists the providers of the config', () => {
    expect(account.getConfiguredProviders()).toEqual(['openai', 'ollama']);
  });

  it('gives each provider its keys and settings', () => {
    expect(account.getKeysForProvider('openai')).toEqual([{ value: 'sk-1', models: ['gpt-4o'], weight: 1 }]);
    expect(account.getKeysForProvider('ollama')).toEqual([]);
    expect(account.getKeysForProvider('groq')).toEqual([]);
    expect(account.getConfigForProvider('ollama').network_config.base_url).toBe('http://localhost:11434');
  });

  it('refuses settings for a provider that is not in the config', () => {
    expect(() => account.getConfigForProvider('groq')).toThrow('provider "groq" is not in the config');
  });
});
