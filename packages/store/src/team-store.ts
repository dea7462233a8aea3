import type { Selectable } from 'kysely';
import type { TeamTable } from './database.js';
import type { Page, PageOptions } from './keyset-page.js';
import { type OffsetSearchOptions, type OffsetSearchResult, searchById } from './offset-search.js';
import type { RepositoryContext } from './repository-context.js';
import { listById, TextIdRepository } from './text-id-rows.js';

/** A stored team. */
export type Team = Selectable<TeamTable>;

/** A new team, optionally under a customer. */
export interface NewTeam {
  name: string;
  customer_id?: string | null;
  budget_id?: string | null;
  rate_limit_id?: string | null;
  calendar_aligned?: boolean;
}

/** Fields an update may change. */
export type TeamPatch = Partial<NewTeam>;

/** Listing options: a page, optionally only one customer's teams. */
export interface TeamListOptions extends PageOptions {
  customerId?: string;
}

/** Teams: between customers and virtual keys. */
export class TeamStore extends TextIdRepository<'teams', TeamPatch> {
  constructor(context: RepositoryContext) {
    super(context, 'teams');
  }

  /** Creates a team. */
  async create(input: NewTeam): Promise<Team> {
    const now = this.context.now();
    return this.context.db
      .insertInto('teams')
      .values({
        id: this.context.generateId(),
        name: input.name,
        customer_id: input.customer_id ?? null,
        budget_id: input.budget_id ?? null,
        rate_limit_id: input.rate_limit_id ?? null,
        calendar_aligned: input.calendar_aligned,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** Teams in creation order, a page at a time. */
  override list(options: TeamListOptions = {}): Promise<Page<Team>> {
    return listById(this.context, 'teams', options, { customer_id: options.customerId });
  }

  /** A page by offset with the total that match: `search` in the name, optionally one customer's teams. */
  override search(
    options: OffsetSearchOptions & { customerId?: string } = {},
  ): Promise<OffsetSearchResult<Team>> {
    const { customerId, ...rest } = options;
    return searchById(this.context, 'teams', {
      ...rest,
      filter: { ...rest.filter, customer_id: customerId },
    });
  }
}
