import type { Selectable } from 'kysely';
import type { PricingOverrideTable } from './database.js';
import type { Page, PageOptions } from './keyset-page.js';
import { type RepositoryContext, toJson } from './repository-context.js';
import { deleteById, getById, listById, updateById } from './text-id-rows.js';

/** A stored pricing override, with upstream's field names. */
export type PricingOverride = Selectable<PricingOverrideTable>;

/** A new pricing override: which models it matches and the price fields it replaces. */
export interface NewPricingOverride {
  name: string;
  scope_kind: string;
  provider_id?: string | null;
  match_type: string;
  pattern: string;
  request_types?: string[];
  patch: Record<string, number>;
}

/** Fields an update may change. */
export type PricingOverridePatch = Partial<NewPricingOverride>;

function columns(input: PricingOverridePatch): Record<string, unknown> {
  const { request_types, patch, ...rest } = input;
  return {
    ...rest,
    ...(request_types === undefined ? {} : { request_types: toJson(request_types) }),
    ...(patch === undefined ? {} : { patch: toJson(patch) }),
  };
}

/** Pricing overrides: per-model prices that replace the catalog's. Names are unique. */
export class PricingOverrideStore {
  readonly #context: RepositoryContext;

  constructor(context: RepositoryContext) {
    this.#context = context;
  }

  /** Creates an override; a taken name rejects with `StoreConflictError` naming `name`. */
  async create(input: NewPricingOverride): Promise<PricingOverride> {
    const now = this.#context.now();
    return this.#context.db
      .insertInto('pricing_overrides')
      .values({
        ...columns(input),
        id: this.#context.generateId(),
        name: input.name,
        scope_kind: input.scope_kind,
        provider_id: input.provider_id ?? null,
        match_type: input.match_type,
        pattern: input.pattern,
        request_types: toJson(input.request_types ?? []),
        patch: toJson(input.patch),
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** The override, or undefined. */
  get(id: string): Promise<PricingOverride | undefined> {
    return getById(this.#context, 'pricing_overrides', id);
  }

  /** Overrides in creation order, a page at a time. */
  list(options: PageOptions = {}): Promise<Page<PricingOverride>> {
    return listById(this.#context, 'pricing_overrides', options);
  }

  /** Changes the override; undefined when the id is unknown. */
  update(id: string, patch: PricingOverridePatch): Promise<PricingOverride | undefined> {
    return updateById(this.#context, 'pricing_overrides', id, columns(patch));
  }

  /** Deletes the override. */
  delete(id: string): Promise<boolean> {
    return deleteById(this.#context, 'pricing_overrides', id);
  }
}
