import { randomBytes } from 'node:crypto';
import type { Store } from '@bifrost/store';
import { badRequest } from './management-error.js';
import type { ProviderConfigInput } from './virtual-key-schemas.js';

/** A new key's value: `sk-bf-` and 32 URL-safe characters from 24 random bytes. */
export function generateVirtualKeyValue(): string {
  return `sk-bf-${randomBytes(24).toString('base64url')}`;
}

/** Refuses a key attached to both a team and a customer, or to one that does not exist. */
export async function checkOwner(
  store: Store,
  teamId: string | null | undefined,
  customerId: string | null | undefined,
): Promise<void> {
  if (teamId && customerId) throw badRequest('VirtualKey cannot be attached to both Team and Customer');
  if (teamId && (await store.teams.get(teamId)) === undefined) {
    throw badRequest(`team_id: team "${teamId}" does not exist`);
  }
  if (customerId && (await store.customers.get(customerId)) === undefined) {
    throw badRequest(`customer_id: customer "${customerId}" does not exist`);
  }
}

/** Refuses a provider the gateway does not configure, and the same provider twice on one key. */
export function checkProviderConfigs(
  configs: readonly ProviderConfigInput[],
  providers: (() => readonly string[]) | undefined,
): void {
  const known = providers === undefined ? undefined : new Set(providers());
  const seen = new Set<string>();
  configs.forEach((config, index) => {
    if (known !== undefined && !known.has(config.provider)) {
      throw badRequest(
        `provider_configs[${index}].provider: "${config.provider}" is not a configured provider`,
      );
    }
    if (seen.has(config.provider)) {
      throw badRequest(`provider_configs[${index}].provider: "${config.provider}" is listed twice`);
    }
    seen.add(config.provider);
  });
}

// RFC 3339 as Go's time.RFC3339 reads it: a date, a time, optional fractions and a zone (Z or ±hh:mm).
const rfc3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * Reads `expires_at`: null or "" clears the expiry; anything else must be an RFC 3339 time in the future. An
 * offset such as `+05:30` is kept as the same instant.
 */
export function parseExpiresAt(value: string | null, now: number): Date | null {
  if (value === null || value === '') return null;
  const at = rfc3339.test(value) ? new Date(value) : undefined;
  if (at === undefined || Number.isNaN(at.getTime())) {
    throw badRequest(`expires_at: "${value}" is not an RFC3339 timestamp such as "2030-01-01T00:00:00Z"`);
  }
  if (at.getTime() <= now) throw badRequest('expires_at must be in the future');
  return at;
}

/** The key ids a provider config stores: `allow_all_keys: true` is upstream's older spelling of `["*"]`. */
export function keyIdsOf(config: ProviderConfigInput): string[] | undefined {
  if (config.allow_all_keys === true) return ['*'];
  return config.key_ids ?? undefined;
}
