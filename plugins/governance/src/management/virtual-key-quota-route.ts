import type { PluginHttpRoute } from '@bifrost/schemas';
import type { Budget, RateLimit, Store, VirtualKey } from '@bifrost/store';
import { type LiveUsageReader, withLiveBudget, withLiveRateLimit } from './live-usage.js';
import { ManagementError } from './management-error.js';
import type { ManagementRoutesOptions } from './management-options.js';
import { managementRoute } from './management-route.js';
import { presentVirtualKey } from './present-virtual-keys.js';

/** The path the transport lets through without admin authentication: the virtual key is the credential here. */
export const virtualKeyQuotaPath = '/api/governance/virtual-keys/quota';

const virtualKeyPrefix = 'sk-bf-';

/** The key a caller presents: `x-bf-vk` with any value, or a Bearer token that starts with `sk-bf-`. */
function presentedKey(request: Request): string | undefined {
  const header = request.headers.get('x-bf-vk')?.trim();
  if (header) return header;
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
  return bearer?.toLowerCase().startsWith(virtualKeyPrefix) ? bearer : undefined;
}

/** A team's or customer's budget and rate limit, labelled with the owner's name as upstream's `source_name`. */
async function ownerLimits(
  store: Store,
  owner: { name: string; budget_id: string | null; rate_limit_id: string | null } | undefined,
  live: LiveUsageReader,
): Promise<{ budgets: object[]; rateLimits: object[] }> {
  if (owner === undefined) return { budgets: [], rateLimits: [] };
  const budget = owner.budget_id === null ? undefined : await store.budgets.get(owner.budget_id);
  const rateLimit =
    owner.rate_limit_id === null ? undefined : await store.rateLimits.get(owner.rate_limit_id);
  return {
    budgets:
      budget === undefined ? [] : [{ ...(await withLiveBudget(budget, live)), source_name: owner.name }],
    rateLimits:
      rateLimit === undefined
        ? []
        : [{ ...(await withLiveRateLimit(rateLimit, live)), source_name: owner.name }],
  };
}

/** The model configs that apply to this key: global ones and those scoped to it, with their limits. */
async function modelConfigsFor(store: Store, key: VirtualKey, live: LiveUsageReader): Promise<object[]> {
  const { items } = await store.modelConfigs.search();
  const applicable = items.filter((config) => config.scope === 'global' || config.scope_id === key.id);
  return Promise.all(
    applicable.map(async (config) => {
      const budget: Budget | undefined =
        config.budget_id === null ? undefined : await store.budgets.get(config.budget_id);
      const rateLimit: RateLimit | undefined =
        config.rate_limit_id === null ? undefined : await store.rateLimits.get(config.rate_limit_id);
      return {
        model_name: config.model_name,
        provider: config.provider,
        scope: config.scope,
        budgets: budget === undefined ? [] : [await withLiveBudget(budget, live)],
        rate_limit: rateLimit === undefined ? null : await withLiveRateLimit(rateLimit, live),
      };
    }),
  );
}

/**
 * `GET /api/governance/virtual-keys/quota`: what the presented key may still spend and send, with the runtime's live
 * counts. Exactly upstream's seven keys. A missing or unknown key is 401 (never 404), an expired one 403, and an
 * inactive one 200 with `is_active: false`.
 */
export function virtualKeyQuotaRoute(options: ManagementRoutesOptions): PluginHttpRoute {
  const { store, liveUsage: live } = options;
  const now = options.now ?? Date.now;
  return managementRoute('GET', virtualKeyQuotaPath, async ({ request }) => {
    const value = presentedKey(request);
    if (value === undefined) throw new ManagementError(401, 'Missing virtual key');
    const key = await store.virtualKeys.getByValue(value);
    if (key === undefined) throw new ManagementError(401, 'Virtual key not found');
    if (key.expires_at !== null && key.expires_at.getTime() <= now()) {
      throw new ManagementError(403, 'Virtual key has expired');
    }
    const presented = (await presentVirtualKey(store, key.id, live)) as {
      budgets: object[];
      rate_limit?: object;
      provider_configs: { provider: string; budgets: object[]; rate_limit?: object }[];
    };
    const team = key.team_id === null ? undefined : await store.teams.get(key.team_id);
    const customerId = key.customer_id ?? team?.customer_id ?? null;
    const customer = customerId === null ? undefined : await store.customers.get(customerId);
    const [teamLimits, customerLimits] = await Promise.all([
      ownerLimits(store, team, live),
      ownerLimits(store, customer, live),
    ]);
    return {
      virtual_key_name: key.name,
      is_active: key.is_active,
      budgets: [...presented.budgets, ...teamLimits.budgets, ...customerLimits.budgets],
      rate_limit: presented.rate_limit ?? null,
      rate_limits: [
        ...(presented.rate_limit === undefined ? [] : [presented.rate_limit]),
        ...teamLimits.rateLimits,
        ...customerLimits.rateLimits,
      ],
      provider_configs: presented.provider_configs.map((config) => ({
        provider: config.provider,
        budgets: config.budgets,
        rate_limit: config.rate_limit ?? null,
      })),
      model_configs: await modelConfigsFor(store, key, live),
    };
  });
}
