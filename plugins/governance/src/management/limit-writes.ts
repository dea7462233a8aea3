import type { Budget, RateLimit, Store } from '@bifrost/store';
import type { BudgetLine, BudgetPatchInput, RateLimitInput } from './limit-schemas.js';
import { isEmptyRateLimit } from './limit-schemas.js';
import { badRequest } from './management-error.js';

const rateLimitFields = [
  'token_max_limit',
  'token_reset_duration',
  'request_max_limit',
  'request_reset_duration',
] as const;

/** The four limit columns a request sets; `merge` keeps what it leaves out, `replace` clears it. */
function limitColumns(input: RateLimitInput, current: RateLimit | undefined, mode: 'merge' | 'replace') {
  const columns: Record<(typeof rateLimitFields)[number], string | number | null> = {
    token_max_limit: null,
    token_reset_duration: null,
    request_max_limit: null,
    request_reset_duration: null,
  };
  for (const field of rateLimitFields) {
    const given = input[field];
    columns[field] = given !== undefined ? given : mode === 'merge' ? (current?.[field] ?? null) : null;
  }
  for (const kind of ['token', 'request'] as const) {
    // A merge can leave a max without a window when the stored row had none.
    if (columns[`${kind}_max_limit`] !== null && columns[`${kind}_reset_duration`] === null) {
      throw badRequest(`rate_limit.${kind}_reset_duration is required when ${kind}_max_limit is set`);
    }
  }
  return columns as {
    token_max_limit: number | null;
    token_reset_duration: string | null;
    request_max_limit: number | null;
    request_reset_duration: string | null;
  };
}

/** Creates the rate limit a create request asks for; undefined when it names no limit. */
export async function createRateLimit(
  store: Store,
  input: RateLimitInput | null | undefined,
): Promise<string | null> {
  if (input == null || isEmptyRateLimit(input)) return null;
  return (await store.rateLimits.create(limitColumns(input, undefined, 'replace'))).id;
}

/**
 * Applies an update's `rate_limit` to an owner's current one and returns the id the owner should point at: the
 * same row changed in place (so its usage survives), a new row, or null once a request naming no limit removed it.
 * Virtual keys merge the fields given, as upstream does; teams, customers, model configs and providers replace all
 * four.
 */
export async function applyRateLimit(
  store: Store,
  currentId: string | null,
  input: RateLimitInput,
  mode: 'merge' | 'replace',
): Promise<string | null> {
  if (isEmptyRateLimit(input)) {
    if (currentId !== null) await store.rateLimits.delete(currentId);
    return null;
  }
  const current = currentId === null ? undefined : await store.rateLimits.get(currentId);
  if (current === undefined)
    return (await store.rateLimits.create(limitColumns(input, undefined, 'replace'))).id;
  await store.rateLimits.update(current.id, limitColumns(input, current, mode));
  return current.id;
}

/** Which owner a budget list belongs to. */
export type BudgetOwner = { virtual_key_id: string } | { provider_config_id: number };

/**
 * Makes an owner's budgets match the request: a budget whose reset duration is kept has its cap changed and its
 * usage kept, new durations get new budgets, and the rest are deleted. Upstream reconciles the same way.
 */
export async function reconcileBudgets(
  store: Store,
  owner: BudgetOwner,
  existing: readonly Budget[],
  lines: readonly BudgetLine[],
): Promise<void> {
  const byDuration = new Map(existing.map((budget) => [budget.reset_duration, budget]));
  const kept = new Set<string>();
  for (const line of lines) {
    const match = byDuration.get(line.reset_duration);
    if (match !== undefined) kept.add(match.id);
  }
  // Deletions first, so a duration moving between rows never meets the one-per-duration index.
  for (const budget of existing) if (!kept.has(budget.id)) await store.budgets.delete(budget.id);
  for (const line of lines) {
    const match = byDuration.get(line.reset_duration);
    if (match === undefined) {
      await store.budgets.create({
        max_limit: line.max_limit,
        reset_duration: line.reset_duration,
        ...owner,
      });
    } else if (match.max_limit !== line.max_limit) {
      await store.budgets.update(match.id, { max_limit: line.max_limit });
    }
  }
}

/**
 * Applies a change to an owner's single budget (teams, customers, model configs, providers) and returns the id it
 * should point at: neither field removes the budget, either changes the current one, and a new one needs both.
 */
export async function applyBudgetPatch(
  store: Store,
  currentId: string | null,
  patch: BudgetPatchInput,
): Promise<string | null> {
  const { max_limit: maxLimit, reset_duration: resetDuration } = patch;
  if (maxLimit == null && resetDuration == null) {
    if (currentId !== null) await store.budgets.delete(currentId);
    return null;
  }
  const current = currentId === null ? undefined : await store.budgets.get(currentId);
  if (current !== undefined) {
    await store.budgets.update(current.id, {
      ...(maxLimit == null ? {} : { max_limit: maxLimit }),
      ...(resetDuration == null ? {} : { reset_duration: resetDuration }),
    });
    return current.id;
  }
  if (maxLimit == null || resetDuration == null) {
    throw badRequest('budget: both max_limit and reset_duration are required when creating a new budget');
  }
  return (await store.budgets.create({ max_limit: maxLimit, reset_duration: resetDuration })).id;
}
