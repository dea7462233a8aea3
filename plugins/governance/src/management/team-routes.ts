import type { PluginHttpRoute } from '@bifrost/schemas';
import type { Store, Team } from '@bifrost/store';
import { z } from 'zod';
import { badRequest } from './management-error.js';
import type { ManagementRoutesOptions } from './management-options.js';
import { ownerLimitFields } from './owner-limits.js';
import { type OwnerRepository, ownerRoutes } from './owner-routes.js';

const name = z.string({
  error: (issue) => (issue.input === undefined ? 'Team name is required' : 'name must be a string'),
});

const createTeamSchema = z.strictObject({
  name: name.trim().min(1, 'Team name is required'),
  customer_id: z.string().nullish(),
  calendar_aligned: z.boolean().optional(),
  ...ownerLimitFields,
});

const updateTeamSchema = z.strictObject({
  name: name.trim().min(1, 'name must not be empty').optional(),
  /** "" or null detaches the team from its customer. */
  customer_id: z.string().nullish(),
  calendar_aligned: z.boolean().optional(),
  ...ownerLimitFields,
});

type TeamInput = z.output<typeof createTeamSchema> | z.output<typeof updateTeamSchema>;

async function teamColumns(store: Store, input: TeamInput): Promise<Record<string, unknown>> {
  const columns: Record<string, unknown> = {};
  if (input.name !== undefined) columns.name = input.name;
  if (input.calendar_aligned !== undefined) columns.calendar_aligned = input.calendar_aligned;
  if (input.customer_id !== undefined) {
    if (input.customer_id && (await store.customers.get(input.customer_id)) === undefined) {
      throw badRequest(`customer_id: customer "${input.customer_id}" does not exist`);
    }
    columns.customer_id = input.customer_id || null;
  }
  return columns;
}

/** Nests each team's customer, as upstream preloads it. */
async function withCustomers(
  store: Store,
  rows: Record<string, unknown>[],
): Promise<Record<string, unknown>[]> {
  const ids = rows.flatMap((row) => (typeof row.customer_id === 'string' ? [row.customer_id] : []));
  const customers = new Map((await store.customers.getMany(ids)).map((customer) => [customer.id, customer]));
  return rows.map((row) => {
    const customer = typeof row.customer_id === 'string' ? customers.get(row.customer_id) : undefined;
    return customer === undefined ? row : { ...row, customer };
  });
}

/** `/api/governance/teams`: CRUD and the paged list (`?customer_id` filters), in upstream's shapes. */
export function teamRoutes(options: ManagementRoutesOptions): PluginHttpRoute[] {
  return ownerRoutes(options, {
    path: '/api/governance/teams',
    singular: 'team',
    plural: 'teams',
    label: 'Team',
    filterNames: ['customer_id'],
    searchFilters: (query) => ({ customerId: query.filters.customer_id }),
    repository: (store) => store.teams as unknown as OwnerRepository<Team>,
    createSchema: createTeamSchema,
    updateSchema: updateTeamSchema,
    columns: teamColumns,
    decorate: withCustomers,
  });
}
