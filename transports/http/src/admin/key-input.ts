import { randomUUID } from 'node:crypto';
import { invalidRequest } from '../error-response.js';
import type { ManagedKey } from './managed-provider.js';
import { isMasked } from './redact-secret.js';
import { resolveKeyValue } from './resolve-key-value.js';

/**
 * Checks a key body of `POST`/`PUT /api/providers/{p}/keys` (upstream's `{name, value, models,
 * blacklisted_models, weight, enabled}`) and returns the key it makes over `existing`. `value` may be the secret,
 * `env.VAR`, or upstream's `{value, env_var, from_env}`; a masked value sent back keeps the stored secret.
 */
export function parseKeyInput(
  body: Record<string, unknown>,
  env: Readonly<Record<string, string | undefined>>,
  existing?: ManagedKey,
): ManagedKey {
  const name = body.name ?? existing?.name;
  if (typeof name !== 'string' || name === '') throw invalidRequest('must be a non-empty string', 'name');
  const secret = secretOf(body.value, env, existing);
  const weight = body.weight ?? existing?.weight ?? 1;
  if (typeof weight !== 'number' || !(weight >= 0))
    throw invalidRequest('must be a number of at least 0', 'weight');
  const enabled = body.enabled ?? existing?.enabled ?? true;
  if (typeof enabled !== 'boolean') throw invalidRequest('must be a boolean', 'enabled');
  return {
    id: existing?.id ?? (typeof body.id === 'string' && body.id !== '' ? body.id : randomUUID()),
    name,
    ...secret,
    models: modelList(body, 'models', existing),
    blacklisted_models: modelList(body, 'blacklisted_models', existing),
    weight,
    enabled,
  };
}

function secretOf(
  sent: unknown,
  env: Readonly<Record<string, string | undefined>>,
  existing: ManagedKey | undefined,
): { value: string; reference?: string } {
  let text = sent;
  if (typeof sent === 'object' && sent !== null) {
    const envVar = sent as { value?: unknown; env_var?: unknown; from_env?: unknown };
    text = envVar.from_env === true && typeof envVar.env_var === 'string' ? envVar.env_var : envVar.value;
  }
  if (
    existing &&
    (text === undefined || (typeof text === 'string' && (isMasked(text) || text === existing.reference)))
  ) {
    return existing.reference === undefined
      ? { value: existing.value }
      : { value: existing.value, reference: existing.reference };
  }
  if (typeof text !== 'string' || text === '') throw invalidRequest('must be a non-empty string', 'value');
  const resolved = resolveKeyValue(text, env);
  if (resolved === undefined)
    throw invalidRequest(`environment variable ${text.slice(4)} is not set`, 'value');
  return resolved;
}

function modelList(body: Record<string, unknown>, field: string, existing: ManagedKey | undefined): string[] {
  const list = body[field] === null ? [] : (body[field] ?? existing?.[field as 'models'] ?? []);
  if (!Array.isArray(list) || !list.every((model) => typeof model === 'string')) {
    throw invalidRequest('must be a list of model names', field);
  }
  return list;
}
