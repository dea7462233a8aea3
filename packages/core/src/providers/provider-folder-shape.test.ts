import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Guards the layout STYLE.md describes: every provider folder the same set of small files, named after the
// provider, importing only the kit and the shared wire formats.
const providersDirectory = dirname(fileURLToPath(import.meta.url));
const kitDirectory = join(providersDirectory, 'kit');
const formatsDirectory = join(providersDirectory, 'formats');

/** Files every provider folder outside the providers' root may import besides its own, the kit and the formats. */
const sharedRootFiles = new Set(['provider.ts', 'resolve-endpoint.ts']);

/** The dialect each format folder speaks; its files are named after it, as a provider's are after the provider. */
const formatIds: Readonly<Record<string, string>> = {
  'anthropic-messages': 'anthropic',
  'gemini-generate-content': 'gemini',
  'openai-chat': 'openai',
};

function subdirectories(directory: string): string[] {
  return readdirSync(directory).filter((name) => statSync(join(directory, name)).isDirectory());
}

const providerIds = subdirectories(providersDirectory).filter((name) => name !== 'kit' && name !== 'formats');
const formatNames = subdirectories(formatsDirectory);

/** The folder's source files: not tests, not fixtures. */
function sourceFiles(directory: string): string[] {
  return readdirSync(directory).filter(
    (name) => name !== '__fixtures__' && name.endsWith('.ts') && !name.endsWith('.test.ts'),
  );
}

/** The names a file in a folder for `id` may have: `<id>-…`, `convert-to-<id>-…`, `convert-from-<id>-…`, `map-<id>-…`. */
function misnamedFiles(directory: string, id: string): string[] {
  const allowed = new RegExp(
    `^(${id}|convert-to-${id}|convert-from-${id}|map-${id})-[a-z0-9]+(-[a-z0-9]+)*\\.ts$`,
  );
  const names = readdirSync(directory).filter((name) => name !== '__fixtures__');
  return names.filter((name) => !allowed.test(name.replace(/\.test\.ts$/, '.ts')));
}

/** The files a translation is split into, for a dialect id. */
function translationFiles(id: string): string[] {
  return [
    `convert-to-${id}-request.ts`,
    `convert-from-${id}-response.ts`,
    `${id}-stream.ts`,
    `map-${id}-finish-reason.ts`,
  ];
}

/** Every relative module a source file imports or re-exports, resolved to a path. */
function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [
    ...text.matchAll(/\b(?:import|export)\s[^;]*?\bfrom\s*['"]([^'"]+)['"]/g),
    ...text.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((match) => match[1] as string);
  return specifiers
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
}

function isInside(path: string, directory: string): boolean {
  return path === directory || path.startsWith(directory + sep);
}

/** Imports of a folder's source files that reach somewhere other than the folder itself or `allowed`. */
function strayImports(directory: string, allowed: (target: string) => boolean): string[] {
  const stray: string[] = [];
  for (const name of sourceFiles(directory)) {
    for (const target of relativeImports(join(directory, name))) {
      if (isInside(target, directory) || !isInside(target, providersDirectory) || allowed(target)) continue;
      stray.push(`${name} imports ${relative(providersDirectory, target)}`);
    }
  }
  return stray;
}

describe('provider folders', () => {
  it('finds the provider folders', () => {
    expect(providerIds).toContain('openai');
    expect(providerIds.length).toBeGreaterThanOrEqual(9);
  });

  describe.each(providerIds)('%s', (id) => {
    const directory = join(providersDirectory, id);
    const files = new Set(readdirSync(directory));

    it('has a provider and an error reader', () => {
      expect(files).toContain(`${id}-provider.ts`);
      expect(files).toContain(`${id}-error.ts`);
    });

    it('translates in its own files or through a shared format', () => {
      const ownTranslation = translationFiles(id).filter((name) => files.has(name));
      const usesFormat = sourceFiles(directory).some((name) =>
        relativeImports(join(directory, name)).some((target) => isInside(target, formatsDirectory)),
      );
      if (!usesFormat) expect(ownTranslation).toEqual(translationFiles(id));
    });

    it('names every file after the provider', () => {
      expect(misnamedFiles(directory, id)).toEqual([]);
    });

    it('imports only its own files, the kit and the formats', () => {
      const allowed = (target: string) =>
        isInside(target, kitDirectory) ||
        isInside(target, formatsDirectory) ||
        (dirname(target) === providersDirectory && sharedRootFiles.has(relative(providersDirectory, target)));
      expect(strayImports(directory, allowed)).toEqual([]);
    });
  });
});

describe('format folders', () => {
  it('names a dialect for every format folder', () => {
    expect(formatNames.filter((name) => formatIds[name] === undefined)).toEqual([]);
  });

  describe.each(formatNames)('%s', (name) => {
    const directory = join(formatsDirectory, name);
    const id = formatIds[name] ?? name;

    it('holds the wire types and the stream reader', () => {
      const files = readdirSync(directory);
      expect(files).toContain(`${id}-api.ts`);
      expect(files).toContain(`${id}-stream.ts`);
    });

    it('names every file after its dialect', () => {
      expect(misnamedFiles(directory, id)).toEqual([]);
    });

    it('imports only its own files and the kit, never a provider folder', () => {
      const allowed = (target: string) =>
        isInside(target, kitDirectory) || target === join(providersDirectory, 'provider.ts');
      expect(strayImports(directory, allowed)).toEqual([]);
    });
  });

  it('translates fully where the dialect is not the gateway’s own', () => {
    for (const [name, id] of Object.entries(formatIds)) {
      // OpenAI's chat format is the gateway's own, so its bodies pass through untranslated.
      if (id === 'openai') continue;
      const files = readdirSync(join(formatsDirectory, name));
      expect({ name, missing: translationFiles(id).filter((file) => !files.includes(file)) }).toEqual({
        name,
        missing: [],
      });
    }
  });
});
