import type { Selectable } from 'kysely';
import type { ModelConfigTable } from './database.js';
import { type OffsetSearchOptions, type OffsetSearchResult, searchById } from './offset-search.js';
import type { RepositoryContext } from './repository-context.js';
import { TextIdRepository } from './text-id-rows.js';

/** A stored model config. */
export type ModelConfig = Selectable<ModelConfigTable>;

/** A new model config: limits for a model (`*` for all), globally or for one virtual key (`scope_id`). */
export interface NewModelConfig {
  model_name: string;
  provider?: string | null;
  scope?: 'global' | 'virtual_key';
  scope_id?: string | null;
  budget_id?: string | null;
  rate_limit_id?: string | null;
}

/** Fields an update may change. */
export type ModelConfigPatch = Partial<NewModelConfig>;

/** Model configs: budgets and rate limits per model; one per model, provider and scope. */
export class ModelConfigStore extends TextIdRepository<'model_configs', ModelConfigPatch> {
  constructor(context: RepositoryContext) {
    super(context, 'model_configs');
  }

  /** Creates a model config; a second one for the same model, provider and scope rejects naming `model_name`. */
  async create(input: NewModelConfig): Promise<ModelConfig> {
    const now = this.context.now();
    return this.context.db
      .insertInto('model_configs')
      .values({
        id: this.context.generateId(),
        model_name: input.model_name,
        provider: input.provider ?? null,
        scope: input.scope,
        scope_id: input.scope_id ?? null,
        budget_id: input.budget_id ?? null,
        rate_limit_id: input.rate_limit_id ?? null,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** A page by offset with the total that match, searching `model_name`. */
  override search(options: OffsetSearchOptions = {}): Promise<OffsetSearchResult<ModelConfig>> {
    return searchById(this.context, 'model_configs', options, 'model_name');
  }
}
