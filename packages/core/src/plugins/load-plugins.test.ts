import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger/json-logger.js';
import { loadPlugins, PluginLoadError } from './load-plugins.js';

const fixtures = fileURLToPath(new URL('./__fixtures__/', import.meta.url));
const context = { logger: silentLogger, configDirectory: fixtures, prometheusLabels: [] as string[] };

async function loadErrorOf(name: string, config?: unknown): Promise<PluginLoadError> {
  try {
    await loadPlugins([{ name, enabled: true, config }], context);
  } catch (error) {
    if (error instanceof PluginLoadError) return error;
    throw error;
  }
  throw new Error(`expected plugin ${name} to fail`);
}

describe('loadPlugins', () => {
  it('loads a plugin by a path relative to the config directory and hands it its config', async () => {
    const [plugin, ...rest] = await loadPlugins(
      [{ name: './echo-plugin.mjs', enabled: true, config: { greeting: 'hi' } }],
      context,
    );
    expect(rest).toEqual([]);
    expect(plugin).toMatchObject({ name: 'echo', config: { greeting: 'hi' }, configDirectory: fixtures });
    expect(typeof plugin!.preHook).toBe('function');
  });

  it('loads a plugin by absolute path', async () => {
    const plugins = await loadPlugins(
      [{ name: `${fixtures}echo-plugin.mjs`, enabled: true, config: undefined }],
      { ...context, configDirectory: '/nonexistent' },
    );
    expect(plugins.map((plugin) => plugin.name)).toEqual(['echo']);
  });

  it('keeps the order of the entries and skips disabled ones', async () => {
    const plugins = await loadPlugins(
      [
        { name: './strict-plugin.mjs', enabled: true, config: { endpoint: 'http://127.0.0.1:1' } },
        { name: './no-default-plugin.mjs', enabled: false, config: undefined },
        { name: './echo-plugin.mjs', enabled: true, config: undefined },
      ],
      context,
    );
    expect(plugins.map((plugin) => plugin.name)).toEqual(['strict', 'echo']);
  });

  it('names a plugin whose factory rejects its config', async () => {
    const error = await loadErrorOf('./strict-plugin.mjs', { endpoint: 42 });
    expect(error.plugin).toBe('./strict-plugin.mjs');
    expect(error.message).toBe(
      'plugin "./strict-plugin.mjs": rejected its config: endpoint must be a string',
    );
    expect((error.cause as Error).message).toBe('endpoint must be a string');
  });

  it('names a plugin without a default export', async () => {
    const error = await loadErrorOf('./no-default-plugin.mjs');
    expect(error.plugin).toBe('./no-default-plugin.mjs');
    expect(error.message).toBe(
      'plugin "./no-default-plugin.mjs": has no default export factory (config, context) => Plugin',
    );
  });

  it('names a plugin whose factory returns something without a name', async () => {
    const error = await loadErrorOf('./nameless-plugin.mjs');
    expect(error.message).toBe(
      'plugin "./nameless-plugin.mjs": factory did not return a plugin (an object with a "name")',
    );
  });

  it('names a path that does not exist', async () => {
    const error = await loadErrorOf('./missing-plugin.mjs');
    expect(error.plugin).toBe('./missing-plugin.mjs');
    expect(error.message).toMatch(/^plugin "\.\/missing-plugin\.mjs": cannot be loaded \(/);
  });

  it('names a package that is not installed', async () => {
    const error = await loadErrorOf('bifrost-plugin-that-does-not-exist');
    expect(error.plugin).toBe('bifrost-plugin-that-does-not-exist');
    expect(error.message).toMatch(
      /^plugin "bifrost-plugin-that-does-not-exist": cannot be loaded \(.*bifrost-plugin-that-does-not-exist/,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('PluginLoadError');
  });

  it('loads nothing for no entries', async () => {
    expect(await loadPlugins([], context)).toEqual([]);
  });
});

describe('loadPlugins from packages installed next to the deployment', () => {
  const startDirectory = process.cwd();
  let deployment: string | undefined;

  afterEach(() => {
    process.chdir(startDirectory);
    if (deployment) rmSync(deployment, { recursive: true, force: true });
    deployment = undefined;
  });

  /** Writes node_modules/<name> into a fresh directory and makes it the working directory. */
  function installInDeployment(name: string, files: Record<string, string>): void {
    deployment ??= mkdtempSync(join(tmpdir(), 'bifrost-plugins-'));
    for (const [file, text] of Object.entries(files)) {
      const path = join(deployment, 'node_modules', name, file);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
    }
    process.chdir(deployment);
  }

  it('loads an ESM-only package whose exports offer only the import condition', async () => {
    installInDeployment('esm-only-plugin', {
      'package.json': JSON.stringify({
        name: 'esm-only-plugin',
        type: 'module',
        exports: { '.': { import: './index.js' } },
      }),
      'index.js': "export default () => ({ name: 'esm-only' });",
    });
    const plugins = await loadPlugins(
      [{ name: 'esm-only-plugin', enabled: true, config: undefined }],
      context,
    );
    expect(plugins.map((plugin) => plugin.name)).toEqual(['esm-only']);
  });

  it('loads the ESM build of a dual package, not the CommonJS one', async () => {
    installInDeployment('dual-plugin', {
      'package.json': JSON.stringify({
        name: 'dual-plugin',
        exports: { '.': { types: './index.d.ts', import: './index.mjs', require: './index.cjs' } },
      }),
      'index.mjs': "export default () => ({ name: 'dual-esm' });",
      // What a bundler emits for `export default`: imported from ESM, the default is this whole object.
      'index.cjs': "exports.default = () => ({ name: 'dual-cjs' });",
    });
    const plugins = await loadPlugins([{ name: 'dual-plugin', enabled: true, config: undefined }], context);
    expect(plugins.map((plugin) => plugin.name)).toEqual(['dual-esm']);
  });

  it('loads a package without exports through its main', async () => {
    installInDeployment('main-plugin', {
      'package.json': JSON.stringify({ name: 'main-plugin', type: 'module', main: 'lib/plugin' }),
      'lib/plugin.js': "export default () => ({ name: 'main' });",
    });
    const plugins = await loadPlugins([{ name: 'main-plugin', enabled: true, config: undefined }], context);
    expect(plugins.map((plugin) => plugin.name)).toEqual(['main']);
  });
});
