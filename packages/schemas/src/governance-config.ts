import { z } from 'zod';
import { authConfigSchema } from './auth-config.js';
import {
  budgetSchema,
  customerSchema,
  governanceProviderSchema,
  modelConfigSchema,
  rateLimitSchema,
  teamSchema,
  virtualKeySchema,
} from './governance-entities.js';
import { checkGovernanceReferences } from './governance-references.js';

/**
 * The config file's `governance` section: the virtual keys, teams, customers, budgets, rate limits, model configs
 * and provider limits to load at start-up. Names, values and ids must be unique and every reference must resolve,
 * so a typo in a `budget_id` is an error at start-up rather than a key without its limit.
 */
export const governanceConfigSchema = z
  .strictObject({
    budgets: z.array(budgetSchema).default([]),
    rate_limits: z.array(rateLimitSchema).default([]),
    customers: z.array(customerSchema).default([]),
    teams: z.array(teamSchema).default([]),
    virtual_keys: z.array(virtualKeySchema).default([]),
    model_configs: z.array(modelConfigSchema).default([]),
    providers: z.array(governanceProviderSchema).default([]),
    /** Upstream's newer place for `auth_config`; the same as the top-level key, which may not also be set. */
    auth_config: authConfigSchema.optional(),
  })
  .superRefine(checkGovernanceReferences);

/** The `governance` section after validation, every list defaulted to empty. */
export type GovernanceConfig = z.output<typeof governanceConfigSchema>;
/** The `governance` section as written. */
export type GovernanceConfigInput = z.input<typeof governanceConfigSchema>;
