import { isProviderName, type ProviderName } from '@bifrost/schemas';
import type { ProviderKey, Store } from '@bifrost/store';
import type { ManagedKey, ManagedProvider, ProviderSettings } from './managed-provider.js';
import { resolveKeyValue } from './resolve-key-value.js';

/**
 * The providers the management API saved, with all their keys (disabled ones too). A row whose name this gateway
 * does not know, or whose env reference is unset, is skipped rather than failing the start.
 */
export async function readStoredProviders(
  store: Store,
  env: Readonly<Record<string, string | undefined>>,
): Promise<ManagedProvider[]> {
  // In the order they were added, as the API listed them before the restart.
  const keys = (await store.providers.listKeys()).sort(
    (a, b) => a.created_at.getTime() - b.created_at.getTime(),
  );
  const providers: ManagedProvider[] = [];
  let after: string | undefined;
  do {
    const page = await store.providers.list({ after });
    for (const row of page.items) {
      if (!isProviderName(row.name)) continue;
      const rowKeys = keys.filter((key) => key.provider === row.name);
      providers.push({
        name: row.name,
        // The row holds what the API validated, so it is used as is.
        settings: row.config as ProviderSettings,
        keys: rowKeys.map((key) => managedKeyOf(key, env)).filter((key) => key !== undefined),
      });
    }
    after = page.next;
  } while (after !== undefined);
  return providers;
}

/** Writes the provider (or its absence) to the store: its row, every key, and no key it no longer has. */
export async function syncStoredProvider(
  store: Store,
  name: ProviderName,
  provider: ManagedProvider | undefined,
): Promise<void> {
  if (provider === undefined) {
    await store.providers.delete(name);
    return;
  }
  const config = provider.settings;
  if (await store.providers.get(name)) await store.providers.update(name, { config });
  else await store.providers.create({ name, config });
  const kept = new Set(provider.keys.map((key) => key.id));
  for (const stale of await store.providers.listKeys(name)) {
    if (!kept.has(stale.id)) await store.providers.deleteKey(stale.id);
  }
  for (const key of provider.keys) {
    const row = {
      name: key.name,
      value: key.reference ?? key.value,
      models: key.models,
      blacklisted_models: key.blacklisted_models,
      weight: key.weight,
      enabled: key.enabled,
    };
    if (await store.providers.getKey(key.id)) await store.providers.updateKey(key.id, row);
    else await store.providers.createKey({ id: key.id, provider: name, ...row });
  }
}

function managedKeyOf(
  key: ProviderKey,
  env: Readonly<Record<string, string | undefined>>,
): ManagedKey | undefined {
  const resolved = resolveKeyValue(key.value, env);
  if (resolved === undefined) return undefined;
  return {
    id: key.id,
    name: key.name,
    ...resolved,
    models: key.models,
    blacklisted_models: key.blacklisted_models,
    weight: key.weight,
    enabled: key.enabled,
  };
}
