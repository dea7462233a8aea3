import type { Selectable } from 'kysely';
import type { TeamTable } from './database.js';
import type { Page, PageOptions } from './keyset-page.js';
import type { RepositoryContext } from './repository-context.js';
import { deleteById, getById, listById, updateById } from './text-id-rows.js';

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
export class TeamStore {
  readonly #context: RepositoryContext;

  constructor(context: RepositoryContext) {
    this.#context = context;
  }

  /** Creates a team. */
  async create(input: NewTeam): Promise<Team> {
    const now = this.#context.now();
    return this.#context.db
      .insertInto('teams')
      .values({
        id: this.#context.generateId(),
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

  /** The team, or undefined. */
  get(id: string): Promise<Team | undefined> {
    return getById(this.#context, 'teams', id);
  }

  /** Teams in creation order, a page at a time. */
  list(options: TeamListOptions = {}): Promise<Page<Team>> {
    return listById(this.#context, 'teams', options, { customer_id: options.customerId });
  }

  /** Changes the team; undefined when the id is unknown. */
  update(id: string, patch: TeamPatch): Promise<Team | undefined> {
    return updateById(this.#context, 'teams', id, { ...patch });
  }

  /** Deletes the team; its virtual keys are detached, not deleted. */
  delete(id: string): Promise<boolean> {
    return deleteById(this.#context, 'teams', id);
  }
}
