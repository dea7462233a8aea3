import type { PluginHttpRoute } from '@bifrost/schemas';
import type { Customer, Store } from '@bifrost/store';
import { z } from 'zod';
import type { ManagementRoutesOptions } from './management-options.js';
import { ownerLimitFields } from './owner-limits.js';
import { type OwnerRepository, ownerRoutes } from './owner-routes.js';

const name = z.string({
  error: (issue) => (issue.input === undefined ? 'Customer name is required' : 'name must be a string'),
});

/** Upstream's collections also send `email`, which upstream ignores and never echoes; so does this. */
const ignoredEmail = z.string().nullish();

const createCustomerSchema = z.strictObject({
  name: name.trim().min(1, 'Customer name is required'),
  email: ignoredEmail,
  calendar_aligned: z.boolean().optional(),
  ...ownerLimitFields,
});

const updateCustomerSchema = z.strictObject({
  name: name.trim().min(1, 'name must not be empty').optional(),
  email: ignoredEmail,
  calendar_aligned: z.boolean().optional(),
  ...ownerLimitFields,
});

type CustomerInput = z.output<typeof createCustomerSchema> | z.output<typeof updateCustomerSchema>;

async function customerColumns(_store: Store, input: CustomerInput): Promise<Record<string, unknown>> {
  return {
    ...(input.name === undefined ? {} : { name: input.name }),
    ...(input.calendar_aligned === undefined ? {} : { calendar_aligned: input.calendar_aligned }),
  };
}

/** `/api/governance/customers`: CRUD and the paged list, in upstream's shapes. */
export function customerRoutes(options: ManagementRoutesOptions): PluginHttpRoute[] {
  return ownerRoutes(options, {
    path: '/api/governance/customers',
    singular: 'customer',
    plural: 'customers',
    label: 'Customer',
    filterNames: [],
    searchFilters: () => ({}),
    repository: (store) => store.customers as unknown as OwnerRepository<Customer>,
    createSchema: createCustomerSchema,
    updateSchema: updateCustomerSchema,
    columns: customerColumns,
  });
}
