import { z } from 'zod';

/**
 * Upstream's reset-duration syntax, checked without parsing: a whole number and a unit (`30s`, `5m`, `1h`, `1d`,
 * `1w`, `1M`, `1Y`), clock units combined largest first (`1h30m`), or an alias (`daily`, `weekly`, `monthly`,
 * `yearly`). `@bifrost/plugin-governance` parses the same syntax into window lengths; this copy lives here because
 * schemas imports nothing, and a test there (`reset-duration-syntax.test.ts`) holds the two to the same examples.
 */
const resetDurationPattern = /^(?:\d+[dwMY]|(?=\d)(?:\d+h)?(?:\d+m)?(?:\d+s)?)$/;

const resetDurationAliases = new Set(['daily', 'weekly', 'monthly', 'yearly']);

/** Whether `text` is a reset duration upstream accepts and longer than zero. */
export function isResetDuration(text: string): boolean {
  const trimmed = text.trim();
  if (resetDurationAliases.has(trimmed)) return true;
  // A zero-length window ("0h", "0m0s") would reset on every request.
  return resetDurationPattern.test(trimmed) && /[1-9]/.test(trimmed);
}

/** A reset duration field: `30s`, `1h30m`, `1d`, `1w`, `1M` (month), `1Y`, or `daily`/`weekly`/`monthly`/`yearly`. */
export const resetDurationSchema = z.string().refine(isResetDuration, {
  message:
    'not a reset duration: expected a whole number and a unit of s, m, h, d, w, M (month) or Y (year), e.g. "30s", "1h30m", "1M", or daily/weekly/monthly/yearly',
});
