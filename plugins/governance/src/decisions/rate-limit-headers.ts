import { retryAfterSeconds } from '../durations/reset-window.js';
import type { LimitKind } from '../state/governance-snapshot.js';

/**
 * The headers a refusal carries, in OpenAI's names (upstream sends none): `retry-after` always, and
 * `x-ratelimit-{limit,remaining,reset}-{requests,tokens}` for the rate limit that refused.
 */
export function rateLimitHeaders(
  kind: LimitKind,
  limit: number,
  remaining: number,
  resetAt: number,
  now: number,
): Record<string, string> {
  const seconds = retryAfterSeconds(now, resetAt);
  const headers: Record<string, string> = { 'retry-after': String(seconds) };
  if (kind === 'budget') return headers;
  const suffix = kind === 'requests' ? 'requests' : 'tokens';
  headers[`x-ratelimit-limit-${suffix}`] = String(limit);
  headers[`x-ratelimit-remaining-${suffix}`] = String(Math.max(0, Math.floor(remaining)));
  headers[`x-ratelimit-reset-${suffix}`] = `${seconds}s`;
  return headers;
}
