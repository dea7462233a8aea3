import type { PluginHttpRoute } from '@bifrost/schemas';
import { createVirtualKey } from './create-virtual-key.js';
import { listEnvelope, readListQuery } from './list-query.js';
import { wantsLiveUsage } from './live-usage.js';
import { notFound } from './management-error.js';
import type { ManagementRoutesOptions } from './management-options.js';
import { managementRoute } from './management-route.js';
import { presentVirtualKey, presentVirtualKeys } from './present-virtual-keys.js';
import { readBody } from './read-body.js';
import { updateVirtualKey } from './update-virtual-key.js';
import { createVirtualKeySchema, updateVirtualKeySchema } from './virtual-key-schemas.js';

const collection = '/api/governance/virtual-keys';

/**
 * Virtual key CRUD as upstream serves it. The quota route (`/virtual-keys/quota`) must be mounted before these, or
 * `/:vk_id` would take it.
 */
export function virtualKeyRoutes(options: ManagementRoutesOptions): PluginHttpRoute[] {
  const { store } = options;
  const now = options.now ?? Date.now;

  return [
    managementRoute('GET', collection, async ({ url }) => {
      const query = readListQuery(url, ['customer_id', 'team_id']);
      const live = wantsLiveUsage(url) ? options.liveUsage : undefined;
      const { items, total } = await store.virtualKeys.search(
        query.paged
          ? {
              limit: query.limit,
              offset: query.offset,
              search: query.search,
              teamId: query.filters.team_id,
              customerId: query.filters.customer_id,
            }
          : {},
      );
      return listEnvelope('virtual_keys', await presentVirtualKeys(store, items, live), total, query);
    }),

    managementRoute('POST', collection, async ({ request }) => {
      const input = await readBody(request, createVirtualKeySchema);
      const id = await createVirtualKey(options, input, now());
      await options.onChange();
      return { message: 'Virtual key created successfully', virtual_key: await presentVirtualKey(store, id) };
    }),

    managementRoute('GET', `${collection}/:vk_id`, async ({ url, params }) => {
      const live = wantsLiveUsage(url) ? options.liveUsage : undefined;
      const key = await presentVirtualKey(store, params.vk_id ?? '', live);
      if (key === undefined) throw notFound('Virtual key not found');
      return { virtual_key: key };
    }),

    managementRoute('PUT', `${collection}/:vk_id`, async ({ request, params }) => {
      const id = params.vk_id ?? '';
      const input = await readBody(request, updateVirtualKeySchema);
      await updateVirtualKey(options, id, input, now());
      await options.onChange();
      return { message: 'Virtual key updated successfully', virtual_key: await presentVirtualKey(store, id) };
    }),

    managementRoute('DELETE', `${collection}/:vk_id`, async ({ params }) => {
      const id = params.vk_id ?? '';
      const deleted = await store.transaction(async (transaction) => {
        const key = await transaction.virtualKeys.get(id);
        if (key === undefined) return false;
        const configs = await transaction.virtualKeyProviderConfigs.listForVirtualKey(id);
        // Budgets and provider configs go with the key; rate limits are shared-shape rows it must delete itself.
        await transaction.virtualKeys.delete(id);
        for (const row of [key, ...configs]) {
          if (row.rate_limit_id !== null) await transaction.rateLimits.delete(row.rate_limit_id);
        }
        return true;
      });
      if (!deleted) throw notFound('Virtual key not found');
      await options.onChange();
      return { message: 'Virtual key deleted successfully' };
    }),
  ];
}
