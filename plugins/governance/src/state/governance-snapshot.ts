import type { ModelList } from '../decisions/model-list.js';
import type { CounterWindow } from '../durations/reset-window.js';

/** What a counter limits: requests, tokens (rate limits) or dollars (budgets). */
export type LimitKind = 'requests' | 'tokens' | 'budget';

/**
 * Which refusals a fallback may try past: `provider` limits (deployment provider, model configs, a virtual key's
 * provider config) bind one target, so another provider may still serve; `caller` limits (the virtual key, its
 * team and customer) bind every target.
 */
export type LimitScope = 'provider' | 'caller';

/** One counter a request is checked against, resolved from a budget or a rate limit row. */
export interface LimitCounter {
  readonly kind: LimitKind;
  /** The budget's or rate limit's row id, for the store flush and the management API's live usage. */
  readonly id: string;
  /** The counter's key; it names the duration too, so a changed `reset_duration` starts a fresh count. */
  readonly key: string;
  /** The effective maximum per window (a budget's `max_limit` plus its override). */
  readonly limit: number;
  readonly window: CounterWindow;
  /** The reset duration as written, for messages (`resets every 1m`). */
  readonly resetDuration: string;
}

/** An owner of limits at one tier of the chain: a provider, a model config, a virtual key, a team, a customer. */
export interface LimitOwner {
  /** What refusal messages call the owner: `VK`, `Team`, `Customer`, `openai`, `Model:gpt-4o`. */
  readonly label: string;
  readonly scope: LimitScope;
  /** Token and request counters first, then budgets: the order in which they refuse. */
  readonly counters: readonly LimitCounter[];
}

/** A provider a virtual key may use, with its models, keys, routing weight and limits. */
export interface ResolvedProviderConfig {
  readonly provider: string;
  /** Share of weighted routing for bare model names; null leaves the provider out of it. */
  readonly weight: number | null;
  readonly allowedModels: ModelList;
  readonly blacklistedModels: ModelList;
  /** Provider key ids or names the request is pinned to; undefined when any key may serve (`["*"]`). */
  readonly keyIds: readonly string[] | undefined;
  readonly limits: LimitOwner | undefined;
}

/** Model-config limits, keyed by {@link modelConfigKey}. */
export type ModelConfigIndex = ReadonlyMap<string, LimitOwner>;

/** A virtual key with everything its decisions need, resolved once per snapshot. */
export interface ResolvedVirtualKey {
  readonly id: string;
  readonly name: string;
  readonly isActive: boolean;
  /** Epoch ms after which the key is refused; undefined when it never expires. */
  readonly expiresAt: number | undefined;
  readonly allowAllProviders: boolean;
  /** By provider name, in the order the configs were added. */
  readonly providerConfigs: ReadonlyMap<string, ResolvedProviderConfig>;
  readonly limits: LimitOwner | undefined;
  readonly team: LimitOwner | undefined;
  readonly customer: LimitOwner | undefined;
  /** Model configs scoped to this key. */
  readonly modelConfigs: ModelConfigIndex;
}

/** The live usage counters of one rate limit. */
export interface RateLimitCounters {
  readonly tokens: LimitCounter | undefined;
  readonly requests: LimitCounter | undefined;
}

/** Everything governance decides on, immutable: a reload builds a new snapshot and swaps it in. */
export interface GovernanceSnapshot {
  /** By the key's value (`sk-bf-…`). */
  readonly virtualKeys: ReadonlyMap<string, ResolvedVirtualKey>;
  /** Deployment-wide limits by provider name. */
  readonly providers: ReadonlyMap<string, LimitOwner>;
  /** Global model configs. */
  readonly modelConfigs: ModelConfigIndex;
  readonly budgets: ReadonlyMap<string, LimitCounter>;
  readonly rateLimits: ReadonlyMap<string, RateLimitCounters>;
  /** False when no provider or global model config carries a limit: requests without a key skip the chain. */
  readonly hasDeploymentLimits: boolean;
}

/** The index key of a model config: the model (`*` for all) and the provider, empty when it names none. */
export function modelConfigKey(model: string, provider: string | null | undefined): string {
  return `${model}\u0000${provider ?? ''}`;
}
