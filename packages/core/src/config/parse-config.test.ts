import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { loadConfigFile } from './load-config-file.js';
import { parseConfig, parseConfigText } from './parse-config.js';

function issuesOf(run: () => unknown): ConfigError['issues'] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('resolves env.VAR references and applies defaults', () => {
    const config = parseConfig(
      { $schema: './config.schema.json', providers: { openai: { keys: [{ value: 'env.OPENAI_API_KEY' }] } } },
      { env: { OPENAI_API_KEY: 'sk-from-env' } },
    );
    expect(config.providers.openai?.keys).toEqual([{ value: 'sk-from-env', models: [], weight: 1 }]);
    expect(config.providers.openai?.network_config.max_retries).toBe(0);
    expect(config).not.toHaveProperty('$schema');
  });

  it('names the path of an env var that is not set', () => {
    const run = () =>
      parseConfig(
        { providers: { openai: { keys: [{ value: 'env.OPENAI_API_KEY' }, { value: 'env.EMPTY' }] } } },
        { source: 'config.json', env: { EMPTY: '' } },
      );
    expect(issuesOf(run)).toEqual([
      { path: 'providers.openai.keys[0].value', message: 'env var OPENAI_API_KEY is not set' },
      { path: 'providers.openai.keys[1].value', message: 'env var EMPTY is not set' },
    ]);
    expect(run).toThrow('providers.openai.keys[0].value: env var OPENAI_API_KEY is not set');
    expect(run).toThrow('invalid config config.json');
  });

  it('refuses a malformed env reference', () => {
    const run = () => parseConfig({ providers: { groq: { keys: [{ value: 'env.MY-KEY' }] } } }, { env: {} });
    expect(issuesOf(run)).toEqual([
      {
        path: 'providers.groq.keys[0].value',
        message: '"env.MY-KEY" is not a valid env reference (expected env.NAME)',
      },
    ]);
  });

  it('names each unknown key by its own path', () => {
    const run = () =>
      parseConfig(
        { providers: { openai: { keys: [], network: {}, retries: 2 }, acme: {} }, clients: {} },
        { env: {} },
      );
    const issues = issuesOf(run);
    expect(issues).toHaveLength(4);
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: 'clients', message: 'unknown key' },
        { path: 'providers.acme', message: 'unknown key' },
        { path: 'providers.openai.network', message: 'unknown key' },
        { path: 'providers.openai.retries', message: 'unknown key' },
      ]),
    );
  });

  it('reports every wrong type with its path', () => {
    const run = () =>
      parseConfig({
        providers: { openai: { keys: [{ value: 'k', weight: 'heavy' }], send_back_raw_response: 1 } },
      });
    expect(issuesOf(run).map((issue) => issue.path)).toEqual([
      'providers.openai.keys[0].weight',
      'providers.openai.send_back_raw_response',
    ]);
  });
});

describe('parseConfigText', () => {
  it('reports a JSON syntax error as a config error', () => {
    const issues = issuesOf(() => parseConfigText('{"providers": {', { source: 'broken.json' }));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe('(root)');
    expect(issues[0]!.message).toMatch(/^not valid JSON: /);
  });

  it('parses valid text', () => {
    expect(parseConfigText('{"providers":{}}', { env: {} })).toEqual({ providers: {} });
  });
});

describe('loadConfigFile', () => {
  it('reads, validates and resolves a file', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'bifrost-config-'));
    try {
      const path = join(directory, 'config.json');
      await writeFile(
        path,
        JSON.stringify({ providers: { groq: { keys: [{ value: 'env.GROQ_API_KEY' }] } } }),
      );
      const config = await loadConfigFile(path, { GROQ_API_KEY: 'gsk-1' });
      expect(config.providers.groq?.keys[0]?.value).toBe('gsk-1');
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('reports a file that cannot be read', async () => {
    await expect(loadConfigFile('/nonexistent/bifrost/config.json')).rejects.toMatchObject({
      name: 'ConfigError',
      issues: [{ path: '(file)', message: 'cannot read: ENOENT' }],
    });
  });
});

describe('parseConfig with env-resolved values', () => {
  it('validates a value after resolving its env reference', () => {
    const document = { providers: { openai: { network_config: { base_url: 'env.OPENAI_BASE' } } } };
    expect(
      parseConfig(document, { env: { OPENAI_BASE: 'http://127.0.0.1:9999' } }).providers.openai
        ?.network_config.base_url,
    ).toBe('http://127.0.0.1:9999');
    expect(() => parseConfig(document, { env: { OPENAI_BASE: 'not a url' } })).toThrow(
      /providers\.openai\.network_config\.base_url/,
    );
  });

  it('reports an unset env var once, without a second complaint about its placeholder', () => {
    const document = { providers: { openai: { network_config: { base_url: 'env.OPENAI_BASE' } } } };
    try {
      parseConfig(document, { env: {} });
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).issues).toEqual([
        { path: 'providers.openai.network_config.base_url', message: 'env var OPENAI_BASE is not set' },
      ]);
    }
  });
});
