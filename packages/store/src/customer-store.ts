import type { Selectable } from 'kysely';
import type { CustomerTable } from './database.js';
import type { RepositoryContext } from './repository-context.js';
import { TextIdRepository } from './text-id-rows.js';

/** A stored customer. */
export type Customer = Selectable<CustomerTable>;

/** A new customer; its budget and rate limit are created first and referenced by id. */
export interface NewCustomer {
  name: string;
  budget_id?: string | null;
  rate_limit_id?: string | null;
  calendar_aligned?: boolean;
}

/** Fields an update may change. */
export type CustomerPatch = Partial<NewCustomer>;

/** Customers: the top of the governance hierarchy, above teams and virtual keys. */
export class CustomerStore extends TextIdRepository<'customers', CustomerPatch> {
  constructor(context: RepositoryContext) {
    super(context, 'customers');
  }

  /** Creates a customer. */
  async create(input: NewCustomer): Promise<Customer> {
    const now = this.context.now();
    return this.context.db
      .insertInto('customers')
      .values({
        id: this.context.generateId(),
        name: input.name,
        budget_id: input.budget_id ?? null,
        rate_limit_id: input.rate_limit_id ?? null,
        calendar_aligned: input.calendar_aligned,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }
}
