import type { ConfigIssue } from './config-error.js';

const envReferencePrefix = 'env.';
const envNamePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Replaces every string of the form `env.VAR` with the value of that environment variable, as upstream Bifrost
 * does for keys and other secrets. Returns a resolved copy; a missing variable is an issue naming its path.
 */
export function resolveEnvReferences<T>(
  value: T,
  env: Record<string, string | undefined>,
  issues: ConfigIssue[],
  path = '',
): T {
  if (typeof value === 'string') {
    if (!value.startsWith(envReferencePrefix)) return value;
    const name = value.slice(envReferencePrefix.length);
    if (!envNamePattern.test(name)) {
      issues.push({ path, message: `"${value}" is not a valid env reference (expected env.NAME)` });
      return value;
    }
    const resolved = env[name];
    if (resolved === undefined || resolved === '') {
      issues.push({ path, message: `env var ${name} is not set` });
      return value;
    }
    return resolved as T;
  }
  if (Array.isArray(value)) {
    return value.map((item, index) => resolveEnvReferences(item, env, issues, `${path}[${index}]`)) as T;
  }
  if (typeof value === 'object' && value !== null) {
    const copy: Record<string, unknown> = {};
    for (const [name, inner] of Object.entries(value)) {
      copy[name] = resolveEnvReferences(inner, env, issues, path ? `${path}.${name}` : name);
    }
    return copy as T;
  }
  return value;
}
