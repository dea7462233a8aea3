import type { PluginHttpRoute } from '@bifrost/schemas';
import { wantsLiveUsage, withLiveBudget, withLiveRateLimit } from './live-usage.js';
import type { ManagementRoutesOptions } from './management-options.js';
import { managementRoute } from './management-route.js';

/**
 * `GET /api/governance/budgets` and `/rate-limits`: every row, `{budgets, count}` and `{rate_limits, count}` as
 * upstream answers. The store's usage lags the runtime by a flush; `?from_memory=true` shows the live counts.
 */
export function limitListRoutes(options: ManagementRoutesOptions): PluginHttpRoute[] {
  const { store } = options;
  return [
    managementRoute('GET', '/api/governance/budgets', async ({ url }) => {
      const live = wantsLiveUsage(url) ? options.liveUsage : undefined;
      const { items } = await store.budgets.search();
      const budgets = await Promise.all(items.map((budget) => withLiveBudget(budget, live)));
      return { budgets, count: budgets.length };
    }),
    managementRoute('GET', '/api/governance/rate-limits', async ({ url }) => {
      const live = wantsLiveUsage(url) ? options.liveUsage : undefined;
      const { items } = await store.rateLimits.search();
      const rateLimits = await Promise.all(items.map((rateLimit) => withLiveRateLimit(rateLimit, live)));
      return { rate_limits: rateLimits, count: rateLimits.length };
    }),
  ];
}
