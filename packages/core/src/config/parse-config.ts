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
  // References are resolved first, so resolved values are validated too (a `base_url` from the environment).
  const envIssues: ConfigIssue[] = [];
  const resolved = resolveEnvReferences(document, options.env ?? process.env, envIssues);
  const result = configFileSchema.safeParse(resolved);
  const unresolved = new Set(envIssues.map((issue) => issue.path));
  const issues = [...envIssues];
  if (!result.success) {
    for (const issue of result.error.issues) {
      // An unknown key is named by its own path, one issue per key, so a typo is found where it was made.
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys)
          issues.push({ path: formatPath([...issue.path, key]), message: 'unknown key' });
        continue;
      }
      const path = formatPath(issue.path);
      // A field whose env var is unset is already reported; its placeholder value would only add noise.
      if (!unresolved.has(path)) issues.push({ path, message: issue.message });
    }
  }
  if (issues.length > 0 || !result.success) throw new ConfigError(source, issues);
  const { $schema: _schema, ...config } = result.data;
  return config;
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
