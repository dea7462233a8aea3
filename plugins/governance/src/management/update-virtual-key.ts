import type { Store, VirtualKey, VirtualKeyPatch } from '@bifrost/store';
import { createProviderConfig } from './create-virtual-key.js';
import { applyRateLimit, reconcileBudgets } from './limit-writes.js';
import { badRequest, notFound } from './management-error.js';
import type { ManagementRoutesOptions } from './management-options.js';
import { checkOwner, checkProviderConfigs, keyIdsOf, parseExpiresAt } from './virtual-key-checks.js';
import type { ProviderConfigInput, UpdateVirtualKeyInput } from './virtual-key-schemas.js';

/**
 * The columns an update changes. Omitted fields stay as they are: an unrelated edit of an expired key succeeds
 * without re-checking its expiry, and a body without `team_id` and `customer_id` keeps the key's owner (upstream's
 * old code detached it, which no client depends on).
 */
function columnsOf(input: UpdateVirtualKeyInput, key: VirtualKey, now: number): VirtualKeyPatch {
  const patch: VirtualKeyPatch = {};
  for (const field of [
    'name',
    'description',
    'is_active',
    'calendar_aligned',
    'allow_all_providers',
  ] as const) {
    if (input[field] !== undefined) Object.assign(patch, { [field]: input[field] });
  }
  if (input.delete_after_expire !== undefined) patch.delete_after_expire = input.delete_after_expire;
  if (input.disable_content_logging !== undefined)
    patch.disable_content_logging = input.disable_content_logging;
  if (input.expires_at !== undefined) patch.expires_at = parseExpiresAt(input.expires_at, now);
  if (input.team_id !== undefined) {
    patch.team_id = input.team_id || null;
    if (patch.team_id !== null) patch.customer_id = null;
  }
  if (input.customer_id !== undefined) {
    patch.customer_id = input.customer_id || null;
    if (patch.customer_id !== null) patch.team_id = null;
  }
  if (input.mcp_configs !== undefined) {
    patch.mcp_configs = (input.mcp_configs ?? []).map((config) => ({
      mcp_client_name: config.mcp_client_name,
      tools_to_execute: config.tools_to_execute ?? [],
    }));
  }
  const expiresAt = patch.expires_at !== undefined ? patch.expires_at : key.expires_at;
  if ((patch.delete_after_expire ?? key.delete_after_expire) && expiresAt === null) {
    throw badRequest('delete_after_expire needs expires_at');
  }
  return patch;
}

/** Changes one existing provider config: the fields the request names, its budgets and its rate limit. */
async function updateProviderConfig(
  store: Store,
  id: number,
  rateLimitId: string | null,
  config: ProviderConfigInput,
) {
  const keyIds = keyIdsOf(config);
  await store.virtualKeyProviderConfigs.update(id, {
    provider: config.provider,
    ...(config.weight === undefined ? {} : { weight: config.weight }),
    ...(config.allowed_models == null ? {} : { allowed_models: config.allowed_models }),
    ...(config.blacklisted_models == null ? {} : { blacklisted_models: config.blacklisted_models }),
    ...(keyIds === undefined ? {} : { key_ids: keyIds }),
    ...(config.rate_limit == null
      ? {}
      : { rate_limit_id: await applyRateLimit(store, rateLimitId, config.rate_limit, 'merge') }),
  });
  if (config.budgets != null) {
    const existing = await store.budgets.listForProviderConfig(id);
    await reconcileBudgets(store, { provider_config_id: id }, existing, config.budgets);
  }
}

/**
 * Makes a key's provider configs match the request: entries with `id` change that config, entries without one are
 * created, and configs the request leaves out are deleted with their budgets and rate limit.
 */
async function replaceProviderConfigs(store: Store, keyId: string, configs: readonly ProviderConfigInput[]) {
  const existing = new Map(
    (await store.virtualKeyProviderConfigs.listForVirtualKey(keyId)).map((row) => [row.id, row]),
  );
  configs.forEach((config, index) => {
    if (config.id !== undefined && !existing.has(config.id)) {
      throw badRequest(
        `provider_configs[${index}].id: provider config ${config.id} does not belong to this virtual key`,
      );
    }
  });
  const keptIds = new Set(configs.flatMap((config) => (config.id === undefined ? [] : [config.id])));
  for (const row of existing.values()) {
    if (keptIds.has(row.id)) continue;
    await store.virtualKeyProviderConfigs.delete(row.id);
    if (row.rate_limit_id !== null) await store.rateLimits.delete(row.rate_limit_id);
  }
  for (const config of configs) {
    const row = config.id === undefined ? undefined : existing.get(config.id);
    if (row === undefined) await createProviderConfig(store, keyId, config);
    else await updateProviderConfig(store, row.id, row.rate_limit_id, config);
  }
}

/** Applies an update to a virtual key in one transaction; 404 when there is no key with this id. */
export async function updateVirtualKey(
  options: ManagementRoutesOptions,
  id: string,
  input: UpdateVirtualKeyInput,
  now: number,
): Promise<void> {
  const { store } = options;
  if (input.team_id && input.customer_id) {
    throw badRequest('VirtualKey cannot be attached to both Team and Customer');
  }
  const key = await store.virtualKeys.get(id);
  if (key === undefined) throw notFound('Virtual key not found');
  await checkOwner(store, input.team_id, input.customer_id);
  if (input.provider_configs != null) checkProviderConfigs(input.provider_configs, options.providers);
  const patch = columnsOf(input, key, now);
  await store.transaction(async (transaction) => {
    if (input.rate_limit != null) {
      patch.rate_limit_id = await applyRateLimit(transaction, key.rate_limit_id, input.rate_limit, 'merge');
    }
    await transaction.virtualKeys.update(id, patch);
    if (input.budgets != null) {
      const existing = await transaction.budgets.listForVirtualKey(id);
      await reconcileBudgets(transaction, { virtual_key_id: id }, existing, input.budgets);
    }
    if (input.provider_configs != null) await replaceProviderConfigs(transaction, id, input.provider_configs);
  });
}
