import { z } from 'zod';
import { resetDurationSchema } from './reset-duration-syntax.js';

/**
 * The entries of the config file's `governance` section, in upstream Bifrost's config.json shape: budgets and rate
 * limits are declared once with an `id` and referenced by `budget_id`/`rate_limit_id`; virtual keys, teams and
 * customers may also carry their budgets inline (`budgets`). Usage fields (`current_usage`, `last_reset`) are
 * accepted because upstream exports them; they seed the counters only when the store has no row yet.
 */

const id = z.string().min(1);
const timestamp = z.iso.datetime({ offset: true });

/** A spending limit in dollars, reset every `reset_duration`. */
export const budgetSchema = z.strictObject({
  id,
  /** Dollars that may be spent per window; a request is refused once usage reaches it. */
  max_limit: z.number().positive(),
  reset_duration: resetDurationSchema,
  current_usage: z.number().min(0).optional(),
  last_reset: timestamp.optional(),
  /** Upstream's owner columns, as its exports carry them; the owner's own `budget_id` is what links them here. */
  virtual_key_id: z.string().optional(),
  provider_config_id: z.int().optional(),
  model_config_id: z.string().optional(),
  customer_id: z.string().optional(),
  team_id: z.string().optional(),
  /** Deprecated upstream: set `calendar_aligned` on the owner instead. Accepted and ignored. */
  calendar_aligned: z.boolean().optional(),
});

/** A budget written inline on its owner (`budgets: [...]`), without an id of its own. */
export const budgetLineSchema = z.strictObject({
  max_limit: z.number().positive(),
  reset_duration: resetDurationSchema,
});

/** Request and token limits per window; each max needs its reset duration. */
export const rateLimitSchema = z
  .strictObject({
    id,
    token_max_limit: z.int().positive().optional(),
    token_reset_duration: resetDurationSchema.optional(),
    token_current_usage: z.int().min(0).optional(),
    token_last_reset: timestamp.optional(),
    request_max_limit: z.int().positive().optional(),
    request_reset_duration: resetDurationSchema.optional(),
    request_current_usage: z.int().min(0).optional(),
    request_last_reset: timestamp.optional(),
    /** Deprecated upstream: set `calendar_aligned` on the owner instead. Accepted and ignored. */
    calendar_aligned: z.boolean().optional(),
  })
  .superRefine((limit, context) => {
    for (const kind of ['token', 'request'] as const) {
      if (limit[`${kind}_max_limit`] !== undefined && limit[`${kind}_reset_duration`] === undefined) {
        context.addIssue({
          code: 'custom',
          path: [`${kind}_reset_duration`],
          message: `${kind}_reset_duration is required when ${kind}_max_limit is set`,
        });
      }
    }
  });

/** Snap the owner's budget and rate-limit windows to calendar boundaries (midnight UTC, Monday, the 1st). */
const calendarAligned = z.boolean().optional();

/** A customer: the top of the hierarchy, above teams and virtual keys. */
export const customerSchema = z.strictObject({
  id,
  name: z.string().min(1),
  budgets: z.array(budgetLineSchema).optional(),
  /** A budget declared in `governance.budgets`; upstream's older form, not together with `budgets`. */
  budget_id: z.string().optional(),
  rate_limit_id: z.string().optional(),
  calendar_aligned: calendarAligned,
});

/** A team, optionally inside a customer. */
export const teamSchema = z.strictObject({
  id,
  name: z.string().min(1),
  customer_id: z.string().optional(),
  budget_id: z.string().optional(),
  rate_limit_id: z.string().optional(),
  calendar_aligned: calendarAligned,
  /** Upstream's external (SCIM) identifier; kept, unused. */
  source_id: z.string().optional(),
  /** Upstream enterprise fields; accepted so its exports load, not used. */
  business_unit_id: z.string().optional(),
  profile: z.record(z.string(), z.unknown()).optional(),
  config: z.record(z.string(), z.unknown()).optional(),
  claims: z.record(z.string(), z.unknown()).optional(),
  /** Computed by upstream and read-only; ignored. */
  virtual_key_count: z.int().min(0).optional(),
});

/** Which providers, models and keys a virtual key may use, with their own limits. */
export const virtualKeyProviderConfigSchema = z.strictObject({
  /** Upstream's row id; ignored on load. */
  id: z.int().optional(),
  virtual_key_id: z.string().optional(),
  provider: z.string().min(1),
  /** Share of weighted routing for bare model names; `null` (the default) leaves the provider out of it. */
  weight: z.number().min(0).nullable().optional(),
  /** `["*"]` allows every model, `[]` none; `regex:<pattern>` entries match the whole name, case-insensitively. */
  allowed_models: z.array(z.string()).optional(),
  /** Refused even when `allowed_models` matches. */
  blacklisted_models: z.array(z.string()).optional(),
  /** Provider keys (their `id` or `name`) this virtual key may use; `["*"]` all, `[]` none. */
  key_ids: z.array(z.string()).optional(),
  budget_id: z.string().optional(),
  budgets: z.array(budgetLineSchema).optional(),
  rate_limit_id: z.string().optional(),
});

/** The MCP tools a virtual key may run. */
export const virtualKeyMcpConfigSchema = z.strictObject({
  id: z.int().optional(),
  virtual_key_id: z.string().optional(),
  mcp_client_id: z.int().optional(),
  mcp_client_name: z.string().optional(),
  /** `["*"]` all tools, `[]` none. */
  tools_to_execute: z.array(z.string()).optional(),
});

/** A credential callers present (`x-bf-vk`, `Authorization: Bearer sk-bf-…`) and what it may do. */
export const virtualKeySchema = z.strictObject({
  id,
  name: z.string().min(1),
  description: z.string().optional(),
  /** The key itself (`sk-bf-…`, or `env.VAR`); generated when omitted and shown by the management API. */
  value: z.string().min(1).optional(),
  is_active: z.boolean().default(true),
  /** RFC 3339; past it the key is refused. */
  expires_at: timestamp.optional(),
  /** Delete the key once it has expired. */
  delete_after_expire: z.boolean().optional(),
  calendar_aligned: calendarAligned,
  /** A team or a customer, not both. */
  team_id: z.string().optional(),
  customer_id: z.string().optional(),
  /** A budget declared in `governance.budgets` (upstream's older form). */
  budget_id: z.string().optional(),
  budgets: z.array(budgetLineSchema).optional(),
  rate_limit_id: z.string().optional(),
  /** Empty denies every provider unless `allow_all_providers` is set. */
  provider_configs: z.array(virtualKeyProviderConfigSchema).optional(),
  /** Every configured provider; listed `provider_configs` still narrow theirs. */
  allow_all_providers: z.boolean().optional(),
  mcp_configs: z.array(virtualKeyMcpConfigSchema).optional(),
  /** Unset inherits the gateway's setting. */
  disable_content_logging: z.boolean().optional(),
});

/** Limits on one model, for every caller (`global`) or within one virtual key. */
export const modelConfigSchema = z.strictObject({
  id,
  /** `*` matches every model. */
  model_name: z.string().min(1),
  provider: z.string().optional(),
  scope: z.enum(['global', 'virtual_key']).default('global'),
  /** The virtual key's id when `scope` is `virtual_key`. */
  scope_id: z.string().optional(),
  calendar_aligned: calendarAligned,
  /** Deprecated upstream in favour of `budget_ids`. */
  budget_id: z.string().optional(),
  budget_ids: z.array(z.string()).optional(),
  rate_limit_id: z.string().optional(),
});

/** Deployment-wide limits on one provider, whatever key or caller uses it. */
export const governanceProviderSchema = z.strictObject({
  id: z.string().optional(),
  name: z.string().min(1),
  description: z.string().optional(),
  budget_id: z.string().optional(),
  rate_limit_id: z.string().optional(),
  calendar_aligned: calendarAligned,
});

/** A budget as declared. */
export type BudgetConfig = z.output<typeof budgetSchema>;
/** An inline budget. */
export type BudgetLineConfig = z.output<typeof budgetLineSchema>;
/** A rate limit as declared. */
export type RateLimitConfig = z.output<typeof rateLimitSchema>;
/** A customer as declared. */
export type CustomerConfig = z.output<typeof customerSchema>;
/** A team as declared. */
export type TeamConfig = z.output<typeof teamSchema>;
/** A virtual key's provider config as declared. */
export type VirtualKeyProviderConfig = z.output<typeof virtualKeyProviderConfigSchema>;
/** A virtual key's MCP config as declared. */
export type VirtualKeyMcpConfig = z.output<typeof virtualKeyMcpConfigSchema>;
/** A virtual key as declared, `is_active` defaulted. */
export type VirtualKeyConfig = z.output<typeof virtualKeySchema>;
/** A model config as declared, `scope` defaulted. */
export type ModelConfigConfig = z.output<typeof modelConfigSchema>;
/** Provider-level governance as declared. */
export type GovernanceProviderConfig = z.output<typeof governanceProviderSchema>;
