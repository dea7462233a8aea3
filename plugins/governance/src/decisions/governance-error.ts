import type { BifrostError, ErrorCode, ProviderName } from '@bifrost/schemas';
import type { AccessDecision } from './check-access.js';

/** The refusals counters decide: request, token or both limits reached, or a budget spent. */
export type LimitDecision = 'request_limited' | 'token_limited' | 'rate_limited' | 'budget_exceeded';

/** Every decision governance answers a request with, in upstream's names (the error's top-level `type`). */
export type GovernanceDecision = AccessDecision | LimitDecision | 'governance_unavailable';

const statusOf: Readonly<Record<GovernanceDecision, number>> = {
  virtual_key_required: 401,
  access_not_found: 401,
  access_blocked: 403,
  provider_blocked: 403,
  model_blocked: 403,
  request_limited: 429,
  token_limited: 429,
  rate_limited: 429,
  budget_exceeded: 402,
  governance_unavailable: 503,
};

// The code picks the dialect's error body in the transports (OpenAI's `insufficient_quota` for a budget, say).
const codeOf: Readonly<Record<GovernanceDecision, ErrorCode>> = {
  virtual_key_required: 'authentication_failed',
  access_not_found: 'authentication_failed',
  access_blocked: 'permission_denied',
  provider_blocked: 'permission_denied',
  model_blocked: 'permission_denied',
  request_limited: 'rate_limited',
  token_limited: 'rate_limited',
  rate_limited: 'rate_limited',
  budget_exceeded: 'budget_exceeded',
  governance_unavailable: 'internal',
};

/** Where the refused request was going, for `extra_fields`. */
export interface RefusedTarget {
  readonly provider: ProviderName;
  readonly model: string;
}

/**
 * A refusal in upstream's wire shape: the decision in the top-level `type`, `is_bifrost_error: false`, the status
 * in `status_code`. `allowFallbacks` is false when no other provider could serve the caller either.
 */
export function governanceError(
  decision: GovernanceDecision,
  message: string,
  target: RefusedTarget,
  allowFallbacks: boolean,
): BifrostError {
  return {
    type: decision,
    is_bifrost_error: false,
    status_code: statusOf[decision],
    error: { type: decision, message },
    allow_fallbacks: allowFallbacks,
    extra_fields: { provider: target.provider, model: target.model, error_code: codeOf[decision] },
  };
}
