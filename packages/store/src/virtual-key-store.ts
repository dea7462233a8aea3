import type { Selectable } from 'kysely';
import type { VirtualKeyMcpConfig, VirtualKeyTable } from './database.js';
import type { Page, PageOptions } from './keyset-page.js';
import { type OffsetSearchOptions, type OffsetSearchResult, searchById } from './offset-search.js';
import { type RepositoryContext, toJson } from './repository-context.js';
import { listById, TextIdRepository } from './text-id-rows.js';

/** A stored virtual key, with upstream's field names. */
export type VirtualKey = Selectable<VirtualKeyTable>;

/** A new virtual key. The caller generates `value` (`sk-bf-…`); names and values are unique. */
export interface NewVirtualKey {
  name: string;
  value: string;
  description?: string;
  is_active?: boolean;
  team_id?: string | null;
  customer_id?: string | null;
  rate_limit_id?: string | null;
  calendar_aligned?: boolean;
  expires_at?: Date | null;
  delete_after_expire?: boolean;
  allow_all_providers?: boolean;
  disable_content_logging?: boolean | null;
  mcp_configs?: VirtualKeyMcpConfig[];
  config_hash?: string;
}

/** Fields an update may change; `value` changes only by rotation. */
export type VirtualKeyPatch = Partial<NewVirtualKey>;

/** Listing options: a page, optionally only one team's or one customer's keys. */
export interface VirtualKeyListOptions extends PageOptions {
  teamId?: string;
  customerId?: string;
}

/** Virtual keys: the credentials callers present, with their access settings. */
export class VirtualKeyStore extends TextIdRepository<'virtual_keys', VirtualKeyPatch> {
  constructor(context: RepositoryContext) {
    super(context, 'virtual_keys');
  }

  /** Creates a virtual key; a taken name or value rejects with `StoreConflictError` naming it. */
  async create(input: NewVirtualKey): Promise<VirtualKey> {
    const now = this.context.now();
    return this.context.db
      .insertInto('virtual_keys')
      .values({
        ...this.toColumns(input),
        id: this.context.generateId(),
        name: input.name,
        value: input.value,
        team_id: input.team_id ?? null,
        customer_id: input.customer_id ?? null,
        rate_limit_id: input.rate_limit_id ?? null,
        disable_content_logging: input.disable_content_logging ?? null,
        mcp_configs: toJson(input.mcp_configs ?? []),
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** The virtual key a caller presented, by its value, or undefined. */
  getByValue(value: string): Promise<VirtualKey | undefined> {
    return this.context.db
      .selectFrom('virtual_keys')
      .selectAll()
      .where('value', '=', value)
      .executeTakeFirst();
  }

  /** Virtual keys in creation order, a page at a time. */
  override list(options: VirtualKeyListOptions = {}): Promise<Page<VirtualKey>> {
    return listById(this.context, 'virtual_keys', options, {
      team_id: options.teamId,
      customer_id: options.customerId,
    });
  }

  /** A page by offset with the total that match: `search` in the name, optionally one team's or customer's keys. */
  override search(
    options: OffsetSearchOptions & { teamId?: string; customerId?: string } = {},
  ): Promise<OffsetSearchResult<VirtualKey>> {
    const { teamId, customerId, ...rest } = options;
    return searchById(this.context, 'virtual_keys', {
      ...rest,
      filter: { ...rest.filter, team_id: teamId, customer_id: customerId },
    });
  }

  protected override toColumns(patch: VirtualKeyPatch): Record<string, unknown> {
    const { mcp_configs, ...rest } = patch;
    return mcp_configs === undefined ? rest : { ...rest, mcp_configs: toJson(mcp_configs) };
  }
}
