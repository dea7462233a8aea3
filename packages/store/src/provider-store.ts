import type { ConfigFileInput, Key } from '@bifrost/schemas';
import type { Selectable } from 'kysely';
import type { ModelList, ProviderKeyTable, ProviderTable } from './database.js';
import { type Page, type PageOptions, pageLimit, toPage } from './keyset-page.js';
import { type RepositoryContext, toJson } from './repository-context.js';

/**
 * The config file's entry for a provider as written (defaults not yet applied), without its keys: those are rows of
 * their own.
 */
export type ProviderSettings = Omit<NonNullable<ConfigFileInput['providers']['openai']>, 'keys'>;

/** A stored provider: its settings and deployment-wide governance. */
export type Provider = Omit<Selectable<ProviderTable>, 'config'> & { config: ProviderSettings };

/** A new provider. */
export interface NewProvider {
  name: string;
  config?: ProviderSettings;
  budget_id?: string | null;
  rate_limit_id?: string | null;
  calendar_aligned?: boolean;
  /** True for a row made only to hold governance limits of a provider the config file configures. */
  governance_only?: boolean;
}

/** Fields a provider update may change. */
export type ProviderPatch = Partial<Omit<NewProvider, 'name'>>;

/** A stored provider key. */
export type ProviderKey = Selectable<ProviderKeyTable>;

/** A new provider key; `id` defaults to a generated one, as upstream's `POST /api/providers/{p}/keys`. */
export interface NewProviderKey {
  id?: string;
  provider: string;
  name: string;
  value: string;
  models?: ModelList;
  blacklisted_models?: ModelList;
  weight?: number;
  enabled?: boolean;
  config?: Record<string, unknown>;
}

/** Fields a key update may change. */
export type ProviderKeyPatch = Partial<Omit<NewProviderKey, 'id' | 'provider'>>;

function keyColumns(input: ProviderKeyPatch): Record<string, unknown> {
  const { models, blacklisted_models, config, ...rest } = input;
  return {
    ...rest,
    ...(models === undefined ? {} : { models: toJson(models) }),
    ...(blacklisted_models === undefined ? {} : { blacklisted_models: toJson(blacklisted_models) }),
    ...(config === undefined ? {} : { config: toJson(config) }),
  };
}

/** Settings written to a governance-only row make it an ordinary provider row. */
function providerColumns(input: ProviderPatch): Record<string, unknown> {
  const { config, ...rest } = input;
  return config === undefined ? rest : { ...rest, config: toJson(config), governance_only: false };
}

function asProvider(row: Selectable<ProviderTable>): Provider {
  return row as Provider;
}

/** Providers and their keys, as entered through the management API; the config file's own entries stay in the file. */
export class ProviderStore {
  readonly #context: RepositoryContext;

  constructor(context: RepositoryContext) {
    this.#context = context;
  }

  /** Adds a provider; a taken name rejects with `StoreConflictError` naming `name`. */
  async create(input: NewProvider): Promise<Provider> {
    const now = this.#context.now();
    const row = await this.#context.db
      .insertInto('providers')
      .values({
        ...providerColumns(input),
        name: input.name,
        config: toJson(input.config ?? {}),
        budget_id: input.budget_id ?? null,
        rate_limit_id: input.rate_limit_id ?? null,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return asProvider(row);
  }

  /** The provider, or undefined. */
  async get(name: string): Promise<Provider | undefined> {
    const row = await this.#context.db
      .selectFrom('providers')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    return row === undefined ? undefined : asProvider(row);
  }

  /**
   * Providers in name order, a page at a time. Rows that only hold governance limits are left out unless asked
   * for: they carry no settings, so readers of saved provider settings must not see them.
   */
  async list(options: PageOptions & { includeGovernanceOnly?: boolean } = {}): Promise<Page<Provider>> {
    const limit = pageLimit(options.limit);
    let query = this.#context.db
      .selectFrom('providers')
      .selectAll()
      .orderBy('name')
      .limit(limit + 1);
    if (options.after !== undefined) query = query.where('name', '>', options.after);
    if (!options.includeGovernanceOnly) query = query.where('governance_only', '=', false);
    return toPage((await query.execute()).map(asProvider), limit, (row) => row.name);
  }

  /** Changes the provider; undefined when there is none by that name. */
  async update(name: string, patch: ProviderPatch): Promise<Provider | undefined> {
    const row = await this.#context.db
      .updateTable('providers')
      .set({ ...providerColumns(patch), updated_at: this.#context.now() })
      .where('name', '=', name)
      .returningAll()
      .executeTakeFirst();
    return row === undefined ? undefined : asProvider(row);
  }

  /** Deletes the provider with its keys. */
  async delete(name: string): Promise<boolean> {
    const result = await this.#context.db.deleteFrom('providers').where('name', '=', name).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** The provider as the config file holds it: settings plus its enabled keys, or undefined. */
  async getConfig(name: string): Promise<(ProviderSettings & { keys: Key[] }) | undefined> {
    const provider = await this.get(name);
    if (provider === undefined || provider.governance_only) return undefined;
    const keys = await this.listKeys(name);
    return {
      ...provider.config,
      keys: keys
        .filter((key) => key.enabled)
        .map((key) => ({ id: key.id, value: key.value, models: key.models, weight: key.weight })),
    };
  }

  /** Adds a key to a provider; a taken name on that provider rejects naming `name`. */
  async createKey(input: NewProviderKey): Promise<ProviderKey> {
    const now = this.#context.now();
    return this.#context.db
      .insertInto('provider_keys')
      .values({
        ...keyColumns(input),
        id: input.id ?? this.#context.generateId(),
        provider: input.provider,
        name: input.name,
        value: input.value,
        models: toJson(input.models ?? []),
        blacklisted_models: toJson(input.blacklisted_models ?? []),
        config: toJson(input.config ?? {}),
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** The key, or undefined. */
  getKey(id: string): Promise<ProviderKey | undefined> {
    return this.#context.db.selectFrom('provider_keys').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** A provider's keys, or every provider's when none is named, in creation order. */
  listKeys(provider?: string): Promise<ProviderKey[]> {
    let query = this.#context.db.selectFrom('provider_keys').selectAll().orderBy('provider').orderBy('id');
    if (provider !== undefined) query = query.where('provider', '=', provider);
    return query.execute();
  }

  /** Changes the key; undefined when the id is unknown. */
  updateKey(id: string, patch: ProviderKeyPatch): Promise<ProviderKey | undefined> {
    return this.#context.db
      .updateTable('provider_keys')
      .set({ ...keyColumns(patch), updated_at: this.#context.now() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
  }

  /** Deletes the key. */
  async deleteKey(id: string): Promise<boolean> {
    const result = await this.#context.db.deleteFrom('provider_keys').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
