import { type ConfigFile, configFileSchema } from '@bifrost/schemas';
import { ConfigError, type ConfigIssue } from './config-error.js';
import { resolveEnvReferences } from './resolve-env-references.js';

/**
 * Validates a parsed config document and resolves its `env.VAR` references. Throws a {@link ConfigError}
 * listing every problem, each with its path, so one run shows everything to fix.
 */
export function parseConfig(
  document: unknown,
  options: { source?: string; env?: Record<string, string | undefined> } = {},
): ConfigFile {
  const source = options.source ?? '(inline)';
  const result = configFileSchema.safeParse(document);
  if (!result.success) {
    // An unknown key is named by its own path, one issue per key, so a typo is found where it was made.
    const issues: ConfigIssue[] = result.error.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: 'unknown key' }))
        : [{ path: formatPath(issue.path), message: issue.message }],
    );
    throw new ConfigError(source, issues);
  }
  const issues: ConfigIssue[] = [];
  const { $schema: _schema, ...config } = result.data;
  const resolved = resolveEnvReferences(config, options.env ?? process.env, issues);
  if (issues.length > 0) throw new ConfigError(source, issues);
  return resolved;
}

/** Parses config text, reporting JSON syntax errors as config errors. */
export function parseConfigText(
  text: string,
  options: { source?: string; env?: Record<string, string | undefined> } = {},
): ConfigFile {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(options.source ?? '(inline)', [
      { path: '(root)', message: `not valid JSON: ${(error as Error).message}` },
    ]);
  }
  return parseConfig(document, options);
}

function formatPath(path: readonly PropertyKey[]): string {
  let formatted = '';
  for (const segment of path) {
    if (typeof segment === 'number') formatted += `[${segment}]`;
    else formatted += formatted ? `.${String(segment)}` : String(segment);
  }
  return formatted || '(root)';
}
