import type { Store } from '@bifrost/store';
import { createRateLimit, reconcileBudgets } from './limit-writes.js';
import { badRequest } from './management-error.js';
import type { ManagementRoutesOptions } from './management-options.js';
import {
  checkOwner,
  checkProviderConfigs,
  generateVirtualKeyValue,
  keyIdsOf,
  parseExpiresAt,
} from './virtual-key-checks.js';
import type { CreateVirtualKeyInput, ProviderConfigInput } from './virtual-key-schemas.js';

/** Adds a provider config with its rate limit and budgets to a key, inside the caller's transaction. */
export async function createProviderConfig(
  store: Store,
  virtualKeyId: string,
  config: ProviderConfigInput,
): Promise<void> {
  const created = await store.virtualKeyProviderConfigs.create({
    virtual_key_id: virtualKeyId,
    provider: config.provider,
    weight: config.weight ?? null,
    allowed_models: config.allowed_models ?? [],
    blacklisted_models: config.blacklisted_models ?? [],
    key_ids: keyIdsOf(config) ?? [],
    rate_limit_id: await createRateLimit(store, config.rate_limit),
  });
  await reconcileBudgets(store, { provider_config_id: created.id }, [], config.budgets ?? []);
}

/**
 * Creates a virtual key with its rate limit, budgets and provider configs in one transaction, after every check
 * that needs no write; returns the new key's id.
 */
export async function createVirtualKey(
  options: ManagementRoutesOptions,
  input: CreateVirtualKeyInput,
  now: number,
): Promise<string> {
  const { store } = options;
  await checkOwner(store, input.team_id, input.customer_id);
  checkProviderConfigs(input.provider_configs ?? [], options.providers);
  const expiresAt = input.expires_at == null ? null : parseExpiresAt(input.expires_at, now);
  if (input.delete_after_expire === true && expiresAt === null) {
    throw badRequest('delete_after_expire needs expires_at');
  }
  return store.transaction(async (transaction) => {
    const key = await transaction.virtualKeys.create({
      name: input.name,
      value: generateVirtualKeyValue(),
      description: input.description ?? '',
      is_active: input.is_active ?? true,
      team_id: input.team_id || null,
      customer_id: input.customer_id || null,
      rate_limit_id: await createRateLimit(transaction, input.rate_limit),
      calendar_aligned: input.calendar_aligned ?? false,
      expires_at: expiresAt,
      delete_after_expire: input.delete_after_expire ?? false,
      allow_all_providers: input.allow_all_providers ?? false,
      disable_content_logging: input.disable_content_logging ?? null,
      mcp_configs: (input.mcp_configs ?? []).map((config) => ({
        mcp_client_name: config.mcp_client_name,
        tools_to_execute: config.tools_to_execute ?? [],
      })),
    });
    await reconcileBudgets(transaction, { virtual_key_id: key.id }, [], input.budgets ?? []);
    for (const config of input.provider_configs ?? [])
      await createProviderConfig(transaction, key.id, config);
    return key.id;
  });
}
