import type { PluginHttpRoute } from '@bifrost/schemas';
import type { OffsetSearchOptions, OffsetSearchResult, Store } from '@bifrost/store';
import type { z } from 'zod';
import { type ListQuery, listEnvelope, readListQuery } from './list-query.js';
import { type LiveUsageReader, wantsLiveUsage } from './live-usage.js';
import { notFound } from './management-error.js';
import type { ManagementRoutesOptions } from './management-options.js';
import { managementRoute } from './management-route.js';
import {
  applyOwnerLimits,
  deleteOwnerLimits,
  type OwnerLimitInput,
  type OwnerLimitRefs,
  withOwnerLimits,
} from './owner-limits.js';
import { readBody } from './read-body.js';

/** A row that owns one budget and one rate limit by reference: a team, a customer or a model config. */
export interface OwnerRow extends OwnerLimitRefs {
  id: string;
}

/** The repository calls the owner routes make, on whichever store (or transaction) they are given. */
export interface OwnerRepository<Row extends OwnerRow> {
  get(id: string): Promise<Row | undefined>;
  search(options: OffsetSearchOptions & Record<string, unknown>): Promise<OffsetSearchResult<Row>>;
  create(input: Record<string, unknown>): Promise<Row>;
  update(id: string, patch: Record<string, unknown>): Promise<Row | undefined>;
  delete(id: string): Promise<boolean>;
}

/** What differs between teams, customers and model configs; everything else about their routes is the same. */
export interface OwnerResource<
  Row extends OwnerRow,
  Create extends OwnerLimitInput,
  Update extends OwnerLimitInput,
> {
  /** `/api/governance/teams`. */
  path: string;
  /** `team`: the answer's key for one row, and `team_id` its path parameter. */
  singular: string;
  /** `teams`: the list's key. */
  plural: string;
  /** `Team`: the start of messages. */
  label: string;
  /** Query parameters that filter the list (`customer_id`); any of them asks for a page, as upstream does. */
  filterNames: readonly string[];
  /** The list's filters as the repository's `search` names them. */
  searchFilters(query: Extract<ListQuery, { paged: true }>): Record<string, unknown>;
  repository(store: Store): OwnerRepository<Row>;
  createSchema: z.ZodType<Create>;
  updateSchema: z.ZodType<Update>;
  /**
   * The owner's own columns a request sets (name, customer), after checking what they refer to; `current` is the
   * row an update changes, undefined on create.
   */
  columns(store: Store, input: Create | Update, current?: Row): Promise<Record<string, unknown>>;
  /** Extra relations an answer nests (a team's customer). */
  decorate?(store: Store, rows: Record<string, unknown>[]): Promise<Record<string, unknown>[]>;
}

/** CRUD and the paged list for teams, customers or model configs, in upstream's shapes. */
export function ownerRoutes<
  Row extends OwnerRow,
  Create extends OwnerLimitInput,
  Update extends OwnerLimitInput,
>(options: ManagementRoutesOptions, resource: OwnerResource<Row, Create, Update>): PluginHttpRoute[] {
  const { store } = options;
  const { singular, label } = resource;
  const item = `${resource.path}/:${singular}_id`;

  async function present(rows: readonly Row[], live: LiveUsageReader): Promise<Record<string, unknown>[]> {
    // Rows are interfaces without an index signature; answers are plain JSON objects from here on.
    const nested = (await withOwnerLimits(store, rows, live)) as unknown as Record<string, unknown>[];
    return resource.decorate ? resource.decorate(store, nested) : nested;
  }
  async function presentOne(id: string): Promise<Record<string, unknown>> {
    const row = await resource.repository(store).get(id);
    if (row === undefined) throw notFound(`${label} not found`);
    return (await present([row], undefined))[0] ?? {};
  }

  return [
    managementRoute('GET', resource.path, async ({ url }) => {
      const query = readListQuery(url, resource.filterNames);
      const { items, total } = await resource.repository(store).search(
        query.paged
          ? {
              limit: query.limit,
              offset: query.offset,
              search: query.search,
              ...resource.searchFilters(query),
            }
          : {},
      );
      const live = wantsLiveUsage(url) ? options.liveUsage : undefined;
      return listEnvelope(resource.plural, await present(items, live), total, query);
    }),

    managementRoute('POST', resource.path, async ({ request }) => {
      const input = await readBody(request, resource.createSchema);
      const columns = await resource.columns(store, input);
      const created = await store.transaction(async (transaction) => {
        const refs = await applyOwnerLimits(transaction, { budget_id: null, rate_limit_id: null }, input);
        return resource.repository(transaction).create({ ...columns, ...refs });
      });
      await options.onChange();
      return { message: `${label} created successfully`, [singular]: await presentOne(created.id) };
    }),

    managementRoute('GET', item, async ({ url, params }) => {
      const row = await resource.repository(store).get(params[`${singular}_id`] ?? '');
      if (row === undefined) throw notFound(`${label} not found`);
      const live = wantsLiveUsage(url) ? options.liveUsage : undefined;
      return { [singular]: (await present([row], live))[0] };
    }),

    managementRoute('PUT', item, async ({ request, params }) => {
      const id = params[`${singular}_id`] ?? '';
      const input = await readBody(request, resource.updateSchema);
      const current = await resource.repository(store).get(id);
      if (current === undefined) throw notFound(`${label} not found`);
      const columns = await resource.columns(store, input, current);
      await store.transaction(async (transaction) => {
        const refs = await applyOwnerLimits(transaction, current, input);
        await resource.repository(transaction).update(id, { ...columns, ...refs });
      });
      await options.onChange();
      return { message: `${label} updated successfully`, [singular]: await presentOne(id) };
    }),

    managementRoute('DELETE', item, async ({ params }) => {
      const id = params[`${singular}_id`] ?? '';
      const deleted = await store.transaction(async (transaction) => {
        const row = await resource.repository(transaction).get(id);
        if (row === undefined) return false;
        // Keys and teams under it keep a null reference; its own budget and rate limit go with it.
        await resource.repository(transaction).delete(id);
        await deleteOwnerLimits(transaction, row);
        return true;
      });
      if (!deleted) throw notFound(`${label} not found`);
      await options.onChange();
      return { message: `${label} deleted successfully` };
    }),
  ];
}
