import { z } from 'zod';
import { budgetListSchema, rateLimitSchema } from './limit-schemas.js';
import { modelListSchema } from './model-list-schema.js';
import { uniqueEntries } from './unique-entries.js';

const requiredName = (what: string) =>
  z.string({
    error: (issue) => (issue.input === undefined ? `${what} is required` : `${what} must be a string`),
  });

/** One provider a virtual key may use; `id` names an existing config on update, and is absent for a new one. */
export const providerConfigSchema = z.strictObject({
  id: z.int().positive().optional(),
  provider: requiredName('provider').min(1, 'provider is required'),
  /** Null leaves the provider out of weighted load balancing. */
  weight: z.number().min(0, 'weight must not be negative').nullish(),
  allowed_models: modelListSchema.nullish(),
  blacklisted_models: modelListSchema.nullish(),
  key_ids: z.array(z.string().min(1, 'an empty key id')).nullish(),
  /** Upstream's older spelling of `key_ids: ["*"]`. */
  allow_all_keys: z.boolean().optional(),
  budgets: budgetListSchema.nullish(),
  rate_limit: rateLimitSchema.nullish(),
});

/** A provider config as a request carries it. */
export type ProviderConfigInput = z.output<typeof providerConfigSchema>;

const mcpConfigSchema = z.strictObject({
  id: z.int().optional(),
  mcp_client_name: requiredName('mcp_client_name').min(1, 'mcp_client_name is required'),
  tools_to_execute: z.array(z.string()).nullish(),
});

/** Fields that create and update share; every one optional, so an update changes only what it names. */
const virtualKeyFields = {
  description: z.string().optional(),
  is_active: z.boolean().optional(),
  team_id: z.string().nullish(),
  customer_id: z.string().nullish(),
  budgets: budgetListSchema.nullish(),
  /** The pre-v1.5.0 singular budget: upstream ignores it on virtual keys, so it is accepted and ignored. */
  budget: z.unknown().optional(),
  rate_limit: rateLimitSchema.nullish(),
  provider_configs: z.array(providerConfigSchema).nullish(),
  mcp_configs: z
    .array(mcpConfigSchema)
    .superRefine(uniqueEntries('mcp_client_name', 'duplicate mcp_client_name'))
    .nullish(),
  calendar_aligned: z.boolean().optional(),
  /** RFC 3339; checked by hand so "" (clear), a past time and a malformed one each get upstream's message. */
  expires_at: z.string().nullish(),
  delete_after_expire: z.boolean().optional(),
  allow_all_providers: z.boolean().optional(),
  /** Tri-state: null inherits the gateway's setting. */
  disable_content_logging: z.boolean().nullish(),
};

/** `POST /api/governance/virtual-keys`. */
export const createVirtualKeySchema = z.strictObject({
  name: requiredName('Virtual key name').trim().min(1, 'Virtual key name is required'),
  ...virtualKeyFields,
});

/** `PUT /api/governance/virtual-keys/{id}`. */
export const updateVirtualKeySchema = z.strictObject({
  name: requiredName('name').trim().min(1, 'name must not be empty').optional(),
  ...virtualKeyFields,
});

/** A create body after parsing. */
export type CreateVirtualKeyInput = z.output<typeof createVirtualKeySchema>;
/** An update body after parsing. */
export type UpdateVirtualKeyInput = z.output<typeof updateVirtualKeySchema>;
