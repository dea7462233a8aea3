import { type Kysely, sql } from 'kysely';
import type { Database } from './database.js';

/** Spend to add to one budget, in USD. */
export interface BudgetUsageDelta {
  id: string;
  amount: number;
}

/** Tokens and requests to add to one rate limit's counters. */
export interface RateLimitUsageDelta {
  id: string;
  tokens?: number;
  requests?: number;
}

/** A batch of usage the hot path counted in memory since its last flush. */
export interface UsageDeltas {
  budgets?: readonly BudgetUsageDelta[];
  rateLimits?: readonly RateLimitUsageDelta[];
}

/** How many rows a flush touched; ids that no longer exist are skipped, not errors. */
export interface UsageDeltaResult {
  budgets: number;
  rateLimits: number;
}

function sumById<T extends { id: string }>(deltas: readonly T[], add: (sum: T, delta: T) => T): T[] {
  const sums = new Map<string, T>();
  for (const delta of deltas) {
    const previous = sums.get(delta.id);
    sums.set(delta.id, previous === undefined ? { ...delta } : add(previous, delta));
  }
  // Sorted so that concurrent flushes lock rows in the same order and cannot deadlock.
  return [...sums.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Locks the rows before updating them, in id order, so concurrent flushes queue instead of deadlocking. */
async function lockInIdOrder(
  transaction: Kysely<Database>,
  table: 'budgets' | 'rate_limits',
  ids: string[],
): Promise<void> {
  await transaction.selectFrom(table).select('id').where('id', 'in', ids).orderBy('id').forUpdate().execute();
}

/**
 * Adds a batch of usage to the durable counters in one transaction: the rows are locked in id order, then each table
 * gets one `UPDATE … FROM jsonb_to_recordset(…)` that adds to the current value, so concurrent flushes from several
 * gateway instances never lose an increment.
 */
export async function applyUsageDeltas(
  db: Kysely<Database>,
  deltas: UsageDeltas,
  now: Date,
): Promise<UsageDeltaResult> {
  const budgets = sumById(deltas.budgets ?? [], (sum, delta) => ({
    id: sum.id,
    amount: sum.amount + delta.amount,
  }));
  const rateLimits = sumById(deltas.rateLimits ?? [], (sum, delta) => ({
    id: sum.id,
    tokens: (sum.tokens ?? 0) + (delta.tokens ?? 0),
    requests: (sum.requests ?? 0) + (delta.requests ?? 0),
  }));
  if (budgets.length === 0 && rateLimits.length === 0) return { budgets: 0, rateLimits: 0 };

  return db.transaction().execute(async (transaction) => {
    const result: UsageDeltaResult = { budgets: 0, rateLimits: 0 };
    if (budgets.length > 0) {
      const ids = budgets.map((delta) => delta.id);
      await lockInIdOrder(transaction, 'budgets', ids);
      const updated = await transaction
        .updateTable('budgets')
        .from(
          sql`jsonb_to_recordset(${JSON.stringify(budgets)}::jsonb)`.as(sql`delta(id text, amount float8)`),
        )
        .set({ current_usage: sql`budgets.current_usage + delta.amount`, updated_at: now })
        .where(sql<boolean>`budgets.id = delta.id`)
        .executeTakeFirst();
      result.budgets = Number(updated.numUpdatedRows);
    }
    if (rateLimits.length > 0) {
      const ids = rateLimits.map((delta) => delta.id);
      const rows = rateLimits.map((delta) => ({
        id: delta.id,
        tokens: delta.tokens ?? 0,
        requests: delta.requests ?? 0,
      }));
      await lockInIdOrder(transaction, 'rate_limits', ids);
      const updated = await transaction
        .updateTable('rate_limits')
        .from(
          sql`jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)`.as(
            sql`delta(id text, tokens bigint, requests bigint)`,
          ),
        )
        .set({
          token_current_usage: sql`rate_limits.token_current_usage + delta.tokens`,
          request_current_usage: sql`rate_limits.request_current_usage + delta.requests`,
          updated_at: now,
        })
        .where(sql<boolean>`rate_limits.id = delta.id`)
        .executeTakeFirst();
      result.rateLimits = Number(updated.numUpdatedRows);
    }
    return result;
  });
}
