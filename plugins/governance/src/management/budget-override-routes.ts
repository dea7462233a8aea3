import type { PluginHttpRoute } from '@bifrost/schemas';
import type { Budget, Store } from '@bifrost/store';
import { z } from 'zod';
import { notFound } from './management-error.js';
import type { ManagementRoutesOptions } from './management-options.js';
import { managementRoute } from './management-route.js';
import { readBody } from './read-body.js';

const overridePath = '/api/governance/virtual-keys/:vk_id/budgets/:budget_id/override';

/** `{amount, mode: "forever"}` or `{amount, mode: "cycles", cycles: N}`: extra dollars on top of `max_limit`. */
const overrideSchema = z
  .strictObject({
    amount: z.number().positive({ error: 'amount must be greater than 0' }),
    mode: z.enum(['forever', 'cycles']),
    cycles: z.int().positive({ error: 'cycles must be a whole number above 0' }).optional(),
  })
  .superRefine((override, context) => {
    if (override.mode === 'cycles' && override.cycles === undefined) {
      context.addIssue({ code: 'custom', path: ['cycles'], message: 'cycles is required in cycles mode' });
    }
    if (override.mode === 'forever' && override.cycles !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['cycles'],
        message: 'cycles is not allowed in forever mode',
      });
    }
  });

/** A budget of this key or of one of its provider configs; 404 for an unknown key or a budget it does not own. */
async function ownedBudget(store: Store, keyId: string, budgetId: string): Promise<Budget> {
  if ((await store.virtualKeys.get(keyId)) === undefined) throw notFound('Virtual key not found');
  const budget = await store.budgets.get(budgetId);
  const configIds = new Set(
    (await store.virtualKeyProviderConfigs.listForVirtualKey(keyId)).map((row) => row.id),
  );
  const owned =
    budget !== undefined &&
    (budget.virtual_key_id === keyId ||
      (budget.provider_config_id !== null && configIds.has(budget.provider_config_id)));
  if (!owned) throw notFound('Budget not found');
  return budget;
}

/** The answer both routes give: the budget and the cap the runtime enforces now. */
function overrideAnswer(budget: Budget) {
  return { budget, effective_max_limit: budget.max_limit + (budget.override_amount ?? 0) };
}

/** Upstream's budget overrides: raise one budget's cap for ever or for a number of reset cycles, and clear it. */
export function budgetOverrideRoutes(options: ManagementRoutesOptions): PluginHttpRoute[] {
  const { store } = options;
  return [
    managementRoute('PUT', overridePath, async ({ request, params }) => {
      const input = await readBody(request, overrideSchema);
      const budget = await ownedBudget(store, params.vk_id ?? '', params.budget_id ?? '');
      const updated = await store.budgets.update(budget.id, {
        override_amount: input.amount,
        override_mode: input.mode,
        override_cycles: input.cycles ?? null,
      });
      await options.onChange();
      return overrideAnswer(updated ?? budget);
    }),
    managementRoute('DELETE', overridePath, async ({ params }) => {
      const budget = await ownedBudget(store, params.vk_id ?? '', params.budget_id ?? '');
      const cleared = await store.budgets.update(budget.id, {
        override_amount: null,
        override_mode: null,
        override_cycles: null,
      });
      await options.onChange();
      return overrideAnswer(cleared ?? budget);
    }),
  ];
}
