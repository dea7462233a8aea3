import { fileURLToPath } from 'node:url';
import { loadPlugins, PluginLoadError, silentLogger } from '@bifrost/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { maximPlugin } from './maxim-plugin.js';
import { MaximConfigError, resolveMaximConfig } from './maxim-plugin-config.js';

const env = { MAXIM_API_KEY: 'key-from-env', MAXIM_LOG_REPO_ID: 'repo-from-env' };

afterEach(() => {
  vi.unstubAllEnvs();
});

function refusal(config: unknown, environment: Record<string, string> = {}): MaximConfigError {
  try {
    resolveMaximConfig(config, environment);
  } catch (error) {
    if (error instanceof MaximConfigError) return error;
    throw error;
  }
  throw new Error('the config was accepted');
}

describe('resolveMaximConfig', () => {
  it('reads api_key and log_repo_id from the environment when the config has none', () => {
    expect(resolveMaximConfig(undefined, env)).toEqual({
      apiKey: 'key-from-env',
      logRepoId: 'repo-from-env',
      baseUrl: undefined,
    });
  });

  it('prefers the config over the environment', () => {
    expect(
      resolveMaximConfig({ api_key: 'key-from-config', log_repo_id: 'repo-from-config' }, env),
    ).toMatchObject({
      apiKey: 'key-from-config',
      logRepoId: 'repo-from-config',
    });
  });

  it('refuses a missing api_key, naming the field and the variable', () => {
    const error = refusal({ log_repo_id: 'repo' });
    expect(error.field).toBe('api_key');
    expect(error.message).toBe('api_key is required: set it in the plugin config or in MAXIM_API_KEY');
  });

  it('treats an empty api_key as missing', () => {
    expect(refusal({ api_key: ' ', log_repo_id: 'repo' }).field).toBe('api_key');
  });

  it('refuses a missing log_repo_id', () => {
    expect(refusal({ api_key: 'key' }).message).toMatch(/^log_repo_id is required.*MAXIM_LOG_REPO_ID/);
  });

  it('refuses a field of the wrong type', () => {
    expect(refusal({ api_key: 42, log_repo_id: 'repo' }).message).toBe(
      'api_key must be a string, got number',
    );
  });

  it('refuses an unknown field', () => {
    expect(refusal({ apiKey: 'key' }, env).field).toBe('apiKey');
  });

  it('refuses a base_url that is not a URL and trims a trailing slash from one that is', () => {
    expect(refusal({ base_url: 'maxim.local' }, env).field).toBe('base_url');
    expect(resolveMaximConfig({ base_url: 'http://127.0.0.1:8080/' }, env).baseUrl).toBe(
      'http://127.0.0.1:8080',
    );
  });

  it('refuses a config that is not an object', () => {
    expect(refusal('key', env).field).toBe('config');
  });
});

describe('maximPlugin factory', () => {
  it('throws when the api key is in neither the config nor the environment', () => {
    expect(() => maximPlugin({ log_repo_id: 'repo' }, { env: {} })).toThrow(/^api_key is required/);
  });

  it('makes start-up fail with the plugin named when loaded from a config file without a key', async () => {
    vi.stubEnv('MAXIM_API_KEY', '');
    vi.stubEnv('MAXIM_LOG_REPO_ID', 'repo');
    const entry = { name: fileURLToPath(new URL('./index.ts', import.meta.url)), enabled: true, config: {} };
    const loading = loadPlugins([entry], {
      logger: silentLogger,
      configDirectory: '/',
      prometheusLabels: [],
    });
    await expect(loading).rejects.toBeInstanceOf(PluginLoadError);
    await expect(loading).rejects.toThrow(/rejected its config: api_key is required/);
  });
});
