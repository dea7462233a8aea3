import type { PluginHttpRoute } from '@bifrost/schemas';
import type { Provider, Store } from '@bifrost/store';
import { z } from 'zod';
import { wantsLiveUsage } from './live-usage.js';
import { notFound } from './management-error.js';
import type { ManagementRoutesOptions } from './management-options.js';
import { managementRoute } from './management-route.js';
import { applyOwnerLimits, deleteOwnerLimits, ownerLimitFields, withOwnerLimits } from './owner-limits.js';
import { readBody } from './read-body.js';

const item = '/api/governance/providers/:provider_name';

const providerGovernanceSchema = z.strictObject({
  calendar_aligned: z.boolean().optional(),
  ...ownerLimitFields,
});

async function allProviders(store: Store): Promise<Provider[]> {
  const rows: Provider[] = [];
  let after: string | undefined;
  do {
    const page = await store.providers.list({ after, limit: 1000, includeGovernanceOnly: true });
    rows.push(...page.items);
    after = page.next;
  } while (after !== undefined);
  return rows;
}

/**
 * The provider's row, made when the gateway configures the provider but the store has none yet. That row is marked
 * governance-only: its settings stay in the config file, and readers of saved provider settings skip it. 404
 * "Provider not found" for a provider neither knows.
 */
async function providerRow(
  store: Store,
  name: string,
  configured: (() => readonly string[]) | undefined,
  create: boolean,
): Promise<Provider> {
  const row = await store.providers.get(name);
  if (row !== undefined) return row;
  if (!create || configured === undefined || !configured().includes(name))
    throw notFound('Provider not found');
  return store.providers.create({ name, governance_only: true });
}

/** Upstream's answer for one provider: its name under `provider`, and its deployment-wide limits. */
async function presentProviders(
  store: Store,
  rows: readonly Provider[],
  live?: ManagementRoutesOptions['liveUsage'],
) {
  return (await withOwnerLimits(store, rows, live)).map((row) => ({
    provider: row.name,
    ...(row.budget === undefined ? {} : { budget: row.budget }),
    budgets: row.budgets,
    ...(row.rate_limit === undefined ? {} : { rate_limit: row.rate_limit }),
    calendar_aligned: row.calendar_aligned,
  }));
}

/**
 * `/api/governance/providers`: deployment-wide budgets and rate limits per provider. The list shows providers that
 * have either; PUT sets them (`budget`, `rate_limit`, `calendar_aligned`) and DELETE removes both.
 */
export function providerGovernanceRoutes(options: ManagementRoutesOptions): PluginHttpRoute[] {
  const { store } = options;
  return [
    managementRoute('GET', '/api/governance/providers', async ({ url }) => {
      const governed = (await allProviders(store)).filter(
        (row) => row.budget_id !== null || row.rate_limit_id !== null,
      );
      const live = wantsLiveUsage(url) ? options.liveUsage : undefined;
      const providers = await presentProviders(store, governed, live);
      return { providers, count: providers.length };
    }),

    managementRoute('PUT', item, async ({ request, params }) => {
      const input = await readBody(request, providerGovernanceSchema);
      const name = params.provider_name ?? '';
      await store.transaction(async (transaction) => {
        const row = await providerRow(transaction, name, options.providers, true);
        const refs = await applyOwnerLimits(transaction, row, input);
        await transaction.providers.update(name, {
          ...refs,
          ...(input.calendar_aligned === undefined ? {} : { calendar_aligned: input.calendar_aligned }),
        });
      });
      await options.onChange();
      const [provider] = await presentProviders(store, [await providerRow(store, name, undefined, false)]);
      return { message: 'Provider governance updated successfully', provider };
    }),

    managementRoute('DELETE', item, async ({ params }) => {
      const name = params.provider_name ?? '';
      await store.transaction(async (transaction) => {
        const row = await providerRow(transaction, name, options.providers, false);
        await transaction.providers.update(name, { budget_id: null, rate_limit_id: null });
        await deleteOwnerLimits(transaction, row);
      });
      await options.onChange();
      return { message: 'Provider governance deleted successfully' };
    }),
  ];
}
