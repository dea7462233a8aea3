import type { Selectable } from 'kysely';
import type { ModelList, VirtualKeyProviderConfigTable } from './database.js';
import { type RepositoryContext, toJson } from './repository-context.js';

/** One provider a virtual key may use, with upstream's field names. */
export type VirtualKeyProviderConfig = Selectable<VirtualKeyProviderConfigTable>;

/** A new provider config on a virtual key; one per provider. */
export interface NewVirtualKeyProviderConfig {
  virtual_key_id: string;
  provider: string;
  weight?: number | null;
  allowed_models?: ModelList;
  blacklisted_models?: ModelList;
  key_ids?: string[];
  rate_limit_id?: string | null;
}

/** Fields an update may change. */
export type VirtualKeyProviderConfigPatch = Partial<Omit<NewVirtualKeyProviderConfig, 'virtual_key_id'>>;

function columns(input: VirtualKeyProviderConfigPatch): Record<string, unknown> {
  const { allowed_models, blacklisted_models, key_ids, ...rest } = input;
  return {
    ...rest,
    ...(allowed_models === undefined ? {} : { allowed_models: toJson(allowed_models) }),
    ...(blacklisted_models === undefined ? {} : { blacklisted_models: toJson(blacklisted_models) }),
    ...(key_ids === undefined ? {} : { key_ids: toJson(key_ids) }),
  };
}

/** Virtual keys' provider configs: allowed providers, models and keys, and routing weights. */
export class VirtualKeyProviderConfigStore {
  readonly #context: RepositoryContext;

  constructor(context: RepositoryContext) {
    this.#context = context;
  }

  /** Adds a provider to a virtual key; a second config for the same provider rejects naming `provider`. */
  async create(input: NewVirtualKeyProviderConfig): Promise<VirtualKeyProviderConfig> {
    const now = this.#context.now();
    return this.#context.db
      .insertInto('vk_provider_configs')
      .values({
        ...columns(input),
        virtual_key_id: input.virtual_key_id,
        provider: input.provider,
        weight: input.weight ?? null,
        allowed_models: toJson(input.allowed_models ?? []),
        blacklisted_models: toJson(input.blacklisted_models ?? []),
        key_ids: toJson(input.key_ids ?? []),
        rate_limit_id: input.rate_limit_id ?? null,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** The provider config, or undefined. */
  get(id: number): Promise<VirtualKeyProviderConfig | undefined> {
    return this.#context.db
      .selectFrom('vk_provider_configs')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** A virtual key's provider configs, in the order they were added. */
  listForVirtualKey(virtualKeyId: string): Promise<VirtualKeyProviderConfig[]> {
    return this.#context.db
      .selectFrom('vk_provider_configs')
      .selectAll()
      .where('virtual_key_id', '=', virtualKeyId)
      .orderBy('id')
      .execute();
  }

  /** The provider configs of several virtual keys, in the order they were added. */
  listForVirtualKeys(virtualKeyIds: readonly string[]): Promise<VirtualKeyProviderConfig[]> {
    if (virtualKeyIds.length === 0) return Promise.resolve([]);
    return this.#context.db
      .selectFrom('vk_provider_configs')
      .selectAll()
      .where('virtual_key_id', 'in', [...virtualKeyIds])
      .orderBy('id')
      .execute();
  }

  /** Changes the config; undefined when the id is unknown. */
  update(id: number, patch: VirtualKeyProviderConfigPatch): Promise<VirtualKeyProviderConfig | undefined> {
    return this.#context.db
      .updateTable('vk_provider_configs')
      .set({ ...columns(patch), updated_at: this.#context.now() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
  }

  /** Deletes the config with its budgets. */
  async delete(id: number): Promise<boolean> {
    const result = await this.#context.db
      .deleteFrom('vk_provider_configs')
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
