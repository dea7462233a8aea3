/**
 * A key value as sent or stored: `env.VAR` is read from the environment (undefined when it is unset), anything else
 * is the secret itself.
 */
export function resolveKeyValue(
  value: string,
  env: Readonly<Record<string, string | undefined>>,
): { value: string; reference?: string } | undefined {
  if (!value.startsWith('env.')) return { value };
  const resolved = env[value.slice('env.'.length)];
  return resolved === undefined ? undefined : { value: resolved, reference: value };
}
