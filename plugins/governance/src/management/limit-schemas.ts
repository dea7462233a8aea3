import { z } from 'zod';
import { InvalidResetDurationError, parseResetDuration } from '../durations/parse-reset-duration.js';
import { uniqueEntries } from './unique-entries.js';

/** A reset duration upstream accepts (`30s`, `1h`, `1d`, `1M`, `daily`, …), with the parser's reason when not. */
export const resetDurationSchema = z.string().superRefine((value, context) => {
  try {
    parseResetDuration(value);
  } catch (error) {
    context.addIssue({
      code: 'custom',
      message:
        error instanceof InvalidResetDurationError ? error.message : `invalid reset duration "${value}"`,
    });
  }
});

const positive = (field: string) => ({ error: `${field} must be greater than 0` });

/** One budget line: a dollar cap over a window. Upstream refuses a cap of 0 or below. */
export const budgetLineSchema = z.strictObject({
  max_limit: z.number().positive(positive('max_limit')),
  reset_duration: resetDurationSchema,
  /** Deprecated upstream in favour of the owner's `calendar_aligned`; accepted and ignored. */
  calendar_aligned: z.boolean().optional(),
});

/** A budget line as a request carries it. */
export type BudgetLine = z.output<typeof budgetLineSchema>;

/** A budget list whose reset durations are unique, as upstream requires per owner. */
export const budgetListSchema = z
  .array(budgetLineSchema)
  .superRefine(uniqueEntries('reset_duration', 'Duplicate reset_duration in budgets'));

/** A change to a single budget: both fields to create one, either to change it, neither to remove it. */
export const budgetPatchSchema = z.strictObject({
  max_limit: z.number().positive(positive('max_limit')).nullish(),
  reset_duration: resetDurationSchema.nullish(),
  calendar_aligned: z.boolean().optional(),
});

/** A budget change as a request carries it. */
export type BudgetPatchInput = z.output<typeof budgetPatchSchema>;

/**
 * Token and request limits. A max needs its reset duration; a limit of 0 or below is refused. All four fields
 * absent (or null) means "no rate limit", which an update reads as removing it.
 */
export const rateLimitSchema = z
  .strictObject({
    token_max_limit: z.int().positive(positive('token_max_limit')).nullish(),
    token_reset_duration: resetDurationSchema.nullish(),
    request_max_limit: z.int().positive(positive('request_max_limit')).nullish(),
    request_reset_duration: resetDurationSchema.nullish(),
    calendar_aligned: z.boolean().optional(),
  })
  .superRefine((limit, context) => {
    for (const kind of ['token', 'request'] as const) {
      if (limit[`${kind}_max_limit`] != null && limit[`${kind}_reset_duration`] == null) {
        context.addIssue({
          code: 'custom',
          path: [`${kind}_reset_duration`],
          message: `${kind}_reset_duration is required when ${kind}_max_limit is set`,
        });
      }
    }
  });

/** A rate limit as a request carries it. */
export type RateLimitInput = z.output<typeof rateLimitSchema>;

/** True when the request names no limit at all, which upstream reads as "remove the rate limit". */
export function isEmptyRateLimit(limit: RateLimitInput): boolean {
  return limit.token_max_limit == null && limit.request_max_limit == null;
}
