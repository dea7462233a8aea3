import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger, Plugin, PluginEntry } from '@bifrost/schemas';

/** Our own plugins, addressable by short name as upstream Bifrost's are. */
const builtInPlugins: Record<string, string> = {
  prometheus: '@bifrost/plugin-prometheus',
  maxim: '@bifrost/plugin-maxim',
  mcp: '@bifrost/plugin-mcp',
  governance: '@bifrost/plugin-governance',
};

/** What a plugin factory receives besides its own config. */
export interface PluginFactoryContext {
  logger: Logger;
  /** The directory of the config file, for resolving relative paths in plugin config. */
  configDirectory: string;
  /** Extra metric labels from `-prometheus-labels` or `client.prometheus_labels`, for metrics plugins. */
  prometheusLabels: readonly string[];
}

/** A plugin package's default export. */
export type PluginFactory = (config: unknown, context: PluginFactoryContext) => Plugin | Promise<Plugin>;

/** A plugin that could not be loaded or refused its config; start-up stops with its name. */
export class PluginLoadError extends Error {
  override readonly name = 'PluginLoadError';
  readonly plugin: string;

  constructor(plugin: string, message: string, cause?: unknown) {
    super(`plugin "${plugin}": ${message}`, cause === undefined ? undefined : { cause });
    this.plugin = plugin;
  }
}

/**
 * Loads the enabled plugins in order. A name resolves to a built-in (`prometheus` → `@bifrost/plugin-prometheus`),
 * an installed npm package, or a local path (relative to the config file); its default export is a factory
 * `(config, context) => Plugin`.
 */
export async function loadPlugins(
  entries: readonly PluginEntry[],
  context: PluginFactoryContext,
): Promise<Plugin[]> {
  const plugins: Plugin[] = [];
  for (const entry of entries) {
    if (!entry.enabled) continue;
    plugins.push(await loadPlugin(entry, context));
  }
  return plugins;
}

async function loadPlugin(entry: PluginEntry, context: PluginFactoryContext): Promise<Plugin> {
  const specifier = resolveSpecifier(entry.name, context.configDirectory);
  let module: { default?: unknown };
  try {
    module = await import(specifier);
  } catch (error) {
    throw new PluginLoadError(entry.name, `cannot be loaded (${(error as Error).message})`, error);
  }
  const factory = module.default;
  if (typeof factory !== 'function') {
    throw new PluginLoadError(entry.name, 'has no default export factory (config, context) => Plugin');
  }
  let plugin: unknown;
  try {
    plugin = await (factory as PluginFactory)(entry.config, context);
  } catch (error) {
    throw new PluginLoadError(entry.name, `rejected its config: ${(error as Error).message}`, error);
  }
  if (typeof plugin !== 'object' || plugin === null || typeof (plugin as Plugin).name !== 'string') {
    throw new PluginLoadError(entry.name, 'factory did not return a plugin (an object with a "name")');
  }
  return plugin as Plugin;
}

function resolveSpecifier(name: string, configDirectory: string): string {
  if (name.startsWith('.') || isAbsolute(name)) {
    return pathToFileURL(isAbsolute(name) ? name : resolve(configDirectory, name)).href;
  }
  const packageName = builtInPlugins[name] ?? name;
  // Resolve from the working directory first, so a plugin installed next to the deployment is found.
  for (const base of [resolve(process.cwd(), 'noop.js'), import.meta.url]) {
    const entry = resolvePackageEntry(packageName, base);
    if (entry !== undefined) return pathToFileURL(entry).href;
  }
  return packageName;
}

/** Conditions an ESM `import` matches, as Node applies them. */
const importConditions = new Set(['node', 'import', 'default']);

/**
 * Finds a package's ESM entry as seen from `base`. `require.resolve` alone would miss packages whose `exports`
 * offer only `import`, and pick the CommonJS build of dual packages, whose default export is then
 * `module.exports` rather than the factory.
 */
function resolvePackageEntry(packageName: string, base: string): string | undefined {
  const require = createRequire(base);
  for (const directory of require.resolve.paths(packageName) ?? []) {
    const packageDirectory = join(directory, packageName);
    let manifest: { exports?: unknown };
    try {
      manifest = JSON.parse(readFileSync(join(packageDirectory, 'package.json'), 'utf8')) as {
        exports?: unknown;
      };
    } catch {
      continue;
    }
    if (manifest.exports === undefined) break;
    const target = exportTarget(rootExport(manifest.exports));
    return target === undefined ? undefined : resolve(packageDirectory, target);
  }
  // No `exports` (or a subpath name): the CommonJS algorithm reads `main` as ESM resolution does.
  try {
    return require.resolve(packageName);
  } catch {
    return undefined;
  }
}

function rootExport(exports: unknown): unknown {
  const isMap = typeof exports === 'object' && exports !== null && !Array.isArray(exports);
  return isMap && '.' in exports ? (exports as Record<string, unknown>)['.'] : exports;
}

/** The first target whose condition an import matches, in the package's own key order, as Node picks it. */
function exportTarget(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const candidates = Array.isArray(value)
    ? value
    : typeof value === 'object' && value !== null
      ? Object.entries(value)
          .filter(([condition]) => importConditions.has(condition))
          .map(([, target]) => target)
      : [];
  for (const candidate of candidates) {
    const target = exportTarget(candidate);
    if (target !== undefined) return target;
  }
  return undefined;
}
