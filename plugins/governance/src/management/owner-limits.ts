import type { Budget, RateLimit, Store } from '@bifrost/store';
import { z } from 'zod';
import { budgetLineSchema, budgetPatchSchema, rateLimitSchema } from './limit-schemas.js';
import { applyBudgetPatch, applyRateLimit } from './limit-writes.js';
import { type LiveUsageReader, withLiveBudget, withLiveRateLimit } from './live-usage.js';

/**
 * The limit fields of owners that hold one budget and one rate limit by reference (teams, customers, model configs,
 * providers). `budget` is upstream's field; newer clients send `budgets`, of which one is kept here.
 */
export const ownerLimitFields = {
  budget: budgetPatchSchema.nullish(),
  budgets: z.array(budgetLineSchema).max(1, 'this owner holds one budget; send one entry or none').nullish(),
  rate_limit: rateLimitSchema.nullish(),
};

/** The limit fields as a request carries them. */
export interface OwnerLimitInput {
  budget?: z.output<typeof budgetPatchSchema> | null;
  budgets?: z.output<typeof budgetLineSchema>[] | null;
  rate_limit?: z.output<typeof rateLimitSchema> | null;
}

/** What an owner row references. */
export interface OwnerLimitRefs {
  budget_id: string | null;
  rate_limit_id: string | null;
}

/**
 * Applies a request's limit fields to an owner's budget and rate limit, returning the references to store. `budgets`
 * wins over `budget`: `[]` removes the budget; a budget object with neither field does too, as upstream reads it.
 * Rate limits are replaced whole, as upstream does for these owners.
 */
export async function applyOwnerLimits(
  store: Store,
  current: OwnerLimitRefs,
  input: OwnerLimitInput,
): Promise<Partial<OwnerLimitRefs>> {
  const refs: Partial<OwnerLimitRefs> = {};
  const budget = input.budgets != null ? (input.budgets[0] ?? {}) : input.budget;
  if (budget != null) refs.budget_id = await applyBudgetPatch(store, current.budget_id, budget);
  if (input.rate_limit != null) {
    refs.rate_limit_id = await applyRateLimit(store, current.rate_limit_id, input.rate_limit, 'replace');
  }
  return refs;
}

/** Deletes the budget and rate limit an owner referenced, once the owner is gone. */
export async function deleteOwnerLimits(store: Store, refs: OwnerLimitRefs): Promise<void> {
  if (refs.budget_id !== null) await store.budgets.delete(refs.budget_id);
  if (refs.rate_limit_id !== null) await store.rateLimits.delete(refs.rate_limit_id);
}

/**
 * Owners with their `budget` (and `budgets`, a list of it) and `rate_limit` nested, read in two queries for any
 * number of rows; a missing relation is left out, as upstream's `omitempty` does.
 */
export async function withOwnerLimits<Row extends OwnerLimitRefs>(
  store: Store,
  rows: readonly Row[],
  live?: LiveUsageReader,
): Promise<(Row & { budgets: Budget[]; budget?: Budget; rate_limit?: RateLimit })[]> {
  const [budgets, rateLimits] = await Promise.all([
    store.budgets.getMany(rows.flatMap((row) => (row.budget_id === null ? [] : [row.budget_id]))),
    store.rateLimits.getMany(rows.flatMap((row) => (row.rate_limit_id === null ? [] : [row.rate_limit_id]))),
  ]);
  const budgetById = new Map(
    await Promise.all(
      budgets.map(async (budget) => [budget.id, await withLiveBudget(budget, live)] as const),
    ),
  );
  const rateLimitById = new Map(
    await Promise.all(
      rateLimits.map(async (limit) => [limit.id, await withLiveRateLimit(limit, live)] as const),
    ),
  );
  return rows.map((row) => {
    const budget = row.budget_id === null ? undefined : budgetById.get(row.budget_id);
    const rateLimit = row.rate_limit_id === null ? undefined : rateLimitById.get(row.rate_limit_id);
    return {
      ...row,
      ...(budget === undefined ? {} : { budget }),
      budgets: budget === undefined ? [] : [budget],
      ...(rateLimit === undefined ? {} : { rate_limit: rateLimit }),
    };
  });
}
