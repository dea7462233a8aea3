import type { RepositoryContext } from './repository-context.js';
import { toJson } from './repository-context.js';

/**
 * Gateway-wide settings by key, each a JSON object: what `PUT /api/config` changes, and secrets the instances that
 * share this store must agree on.
 */
export class SettingsStore {
  readonly #context: RepositoryContext;

  constructor(context: RepositoryContext) {
    this.#context = context;
  }

  /** The value under `key`, or undefined. */
  async get<Value extends object>(key: string): Promise<Value | undefined> {
    const row = await this.#context.db
      .selectFrom('settings')
      .select('value')
      .where('key', '=', key)
      .executeTakeFirst();
    return row?.value as Value | undefined;
  }

  /** Writes `value` under `key`, replacing what was there. */
  async set(key: string, value: object): Promise<void> {
    const now = this.#context.now();
    await this.#context.db
      .insertInto('settings')
      .values({ key, value: toJson(value), updated_at: now })
      .onConflict((conflict) => conflict.column('key').doUpdateSet({ value: toJson(value), updated_at: now }))
      .execute();
  }

  /**
   * The value under `key`, writing `initial` first when there is none. Of several instances racing to write it,
   * the first insert wins and every one of them gets that value: how instances sharing a store agree on a secret.
   */
  async getOrCreate<Value extends object>(key: string, initial: Value): Promise<Value> {
    await this.#context.db
      .insertInto('settings')
      .values({ key, value: toJson(initial), updated_at: this.#context.now() })
      .onConflict((conflict) => conflict.column('key').doNothing())
      .execute();
    return (await this.get<Value>(key)) ?? initial;
  }

  /** Removes `key`; true when it was there. */
  async delete(key: string): Promise<boolean> {
    const result = await this.#context.db.deleteFrom('settings').where('key', '=', key).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
