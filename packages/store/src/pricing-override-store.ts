import type { Selectable } from 'kysely';
import type { PricingOverrideTable } from './database.js';
import { type RepositoryContext, toJson } from './repository-context.js';
import { TextIdRepository } from './text-id-rows.js';

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

/** Pricing overrides: per-model prices that replace the catalog's. Names are unique. */
export class PricingOverrideStore extends TextIdRepository<'pricing_overrides', PricingOverridePatch> {
  constructor(context: RepositoryContext) {
    super(context, 'pricing_overrides');
  }

  /** Creates an override; a taken name rejects with `StoreConflictError` naming `name`. */
  async create(input: NewPricingOverride): Promise<PricingOverride> {
    const now = this.context.now();
    return this.context.db
      .insertInto('pricing_overrides')
      .values({
        ...this.toColumns(input),
        id: this.context.generateId(),
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

  protected override toColumns(input: PricingOverridePatch): Record<string, unknown> {
    const { request_types, patch, ...rest } = input;
    return {
      ...rest,
      ...(request_types === undefined ? {} : { request_types: toJson(request_types) }),
      ...(patch === undefined ? {} : { patch: toJson(patch) }),
    };
  }
}
