import type { Selectable } from 'kysely';
import type { BudgetTable } from './database.js';
import type { RepositoryContext } from './repository-context.js';
import { TextIdRepository } from './text-id-rows.js';

/** A stored budget, as upstream's API shows it. */
export type Budget = Selectable<BudgetTable>;

/** A new budget: a USD cap over a reset window, optionally owned by a virtual key or one of its provider configs. */
export interface NewBudget {
  max_limit: number;
  reset_duration: string;
  virtual_key_id?: string | null;
  provider_config_id?: number | null;
}

/** Fields an update may change. */
export type BudgetPatch = Partial<
  Pick<
    Budget,
    | 'max_limit'
    | 'reset_duration'
    | 'override_amount'
    | 'override_mode'
    | 'override_cycles'
    | 'current_usage'
    | 'last_reset'
  >
>;

/** Budgets: spend caps with reset windows, at every level of the hierarchy. */
export class BudgetStore extends TextIdRepository<'budgets', BudgetPatch> {
  constructor(context: RepositoryContext) {
    super(context, 'budgets');
  }

  /** Creates a budget with zero usage and its window starting now. */
  async create(input: NewBudget): Promise<Budget> {
    const now = this.context.now();
    return this.context.db
      .insertInto('budgets')
      .values({
        id: this.context.generateId(),
        max_limit: input.max_limit,
        reset_duration: input.reset_duration,
        virtual_key_id: input.virtual_key_id ?? null,
        provider_config_id: input.provider_config_id ?? null,
        override_amount: null,
        override_mode: null,
        override_cycles: null,
        last_reset: now,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** A virtual key's own budgets (upstream's `budgets` array), oldest first. */
  listForVirtualKey(virtualKeyId: string): Promise<Budget[]> {
    return this.context.db
      .selectFrom('budgets')
      .selectAll()
      .where('virtual_key_id', '=', virtualKeyId)
      .orderBy('id')
      .execute();
  }

  /** A virtual-key provider config's budgets, oldest first. */
  listForProviderConfig(providerConfigId: number): Promise<Budget[]> {
    return this.context.db
      .selectFrom('budgets')
      .selectAll()
      .where('provider_config_id', '=', providerConfigId)
      .orderBy('id')
      .execute();
  }

  /** The budgets of several virtual keys and of several provider configs, oldest first, in one query. */
  listForOwners(owners: {
    virtualKeyIds?: readonly string[];
    providerConfigIds?: readonly number[];
  }): Promise<Budget[]> {
    const virtualKeyIds = [...(owners.virtualKeyIds ?? [])];
    const providerConfigIds = [...(owners.providerConfigIds ?? [])];
    if (virtualKeyIds.length === 0 && providerConfigIds.length === 0) return Promise.resolve([]);
    return this.context.db
      .selectFrom('budgets')
      .selectAll()
      .where((eb) =>
        eb.or([
          ...(virtualKeyIds.length > 0 ? [eb('virtual_key_id', 'in', virtualKeyIds)] : []),
          ...(providerConfigIds.length > 0 ? [eb('provider_config_id', 'in', providerConfigIds)] : []),
        ]),
      )
      .orderBy('id')
      .execute();
  }

  /** Zeroes usage and starts a new window at `at` for every listed budget, in one statement. */
  async resetUsage(ids: readonly string[], at: Date = this.context.now()): Promise<number> {
    if (ids.length === 0) return 0;
    const result = await this.context.db
      .updateTable('budgets')
      .set({ current_usage: 0, last_reset: at, updated_at: this.context.now() })
      .where('id', 'in', ids)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}
