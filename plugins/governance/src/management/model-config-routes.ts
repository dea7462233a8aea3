import type { PluginHttpRoute } from '@bifrost/schemas';
import type { ModelConfig, Store } from '@bifrost/store';
import { z } from 'zod';
import { badRequest, ManagementError } from './management-error.js';
import type { ManagementRoutesOptions } from './management-options.js';
import { ownerLimitFields } from './owner-limits.js';
import { type OwnerRepository, ownerRoutes } from './owner-routes.js';

const modelName = z.string({
  error: (issue) => (issue.input === undefined ? 'Model name is required' : 'model_name must be a string'),
});

const scopeFields = {
  /** Null applies the config to every provider. */
  provider: z.string().min(1, 'provider must not be empty').nullish(),
  scope: z.enum(['global', 'virtual_key']).optional(),
  /** The virtual key a `virtual_key`-scoped config applies to. */
  scope_id: z.string().nullish(),
  ...ownerLimitFields,
};

const createModelConfigSchema = z.strictObject({
  model_name: modelName.trim().min(1, 'Model name is required'),
  ...scopeFields,
});

const updateModelConfigSchema = z.strictObject({
  model_name: modelName.trim().min(1, 'model_name must not be empty').optional(),
  ...scopeFields,
});

type ModelConfigInput = z.output<typeof createModelConfigSchema> | z.output<typeof updateModelConfigSchema>;

/**
 * The columns a request sets, with the scope checked as it will stand: a `virtual_key` scope names an existing key,
 * a global one names none, and a provider must be configured. A second config for the same model, provider and
 * scope is a 409, as upstream answers it.
 */
async function modelConfigColumns(
  store: Store,
  input: ModelConfigInput,
  providers: (() => readonly string[]) | undefined,
  current?: ModelConfig,
): Promise<Record<string, unknown>> {
  const columns = {
    model_name: input.model_name ?? current?.model_name,
    provider: input.provider !== undefined ? input.provider || null : (current?.provider ?? null),
    scope: input.scope ?? current?.scope ?? 'global',
    scope_id: input.scope_id !== undefined ? input.scope_id || null : (current?.scope_id ?? null),
  };
  if (columns.scope === 'global') columns.scope_id = null;
  else if (columns.scope_id === null) throw badRequest('scope_id is required when scope is virtual_key');
  else if ((await store.virtualKeys.get(columns.scope_id)) === undefined) {
    throw badRequest(`scope_id: virtual key "${columns.scope_id}" does not exist`);
  }
  if (columns.provider !== null && providers !== undefined && !providers().includes(columns.provider)) {
    throw badRequest(`provider: "${columns.provider}" is not a configured provider`);
  }
  const { items } = await store.modelConfigs.search({ search: columns.model_name });
  const taken = items.find(
    (row) =>
      row.id !== current?.id &&
      row.model_name === columns.model_name &&
      row.provider === columns.provider &&
      row.scope === columns.scope &&
      row.scope_id === columns.scope_id,
  );
  if (taken !== undefined) {
    const which = columns.provider === null ? '(global)' : `with provider '${columns.provider}'`;
    throw new ManagementError(409, `Model config for model '${columns.model_name}' ${which} already exists`);
  }
  return columns;
}

/** `/api/governance/model-configs`: budgets and rate limits for a model (`*` for all), globally or per key. */
export function modelConfigRoutes(options: ManagementRoutesOptions): PluginHttpRoute[] {
  return ownerRoutes(options, {
    path: '/api/governance/model-configs',
    singular: 'model_config',
    plural: 'model_configs',
    label: 'Model config',
    filterNames: [],
    searchFilters: () => ({}),
    repository: (store) => store.modelConfigs as unknown as OwnerRepository<ModelConfig>,
    createSchema: createModelConfigSchema,
    updateSchema: updateModelConfigSchema,
    columns: (store, input, current) => modelConfigColumns(store, input, options.providers, current),
  });
}
