import type {
  GovernanceSnapshot,
  LimitCounter,
  LimitOwner,
  ModelConfigIndex,
  ResolvedVirtualKey,
} from '../state/governance-snapshot.js';
import { modelConfigKey } from '../state/governance-snapshot.js';

/** The counters one request is checked against, in refusal order, with the owner of each. */
export interface LimitChain {
  readonly counters: readonly LimitCounter[];
  /** `owners[i]` owns `counters[i]`. */
  readonly owners: readonly LimitOwner[];
  /** Whether a budget is among the counters, so that the request's cost must be estimated. */
  readonly hasBudgets: boolean;
  /** Whether a token or budget counter is among them, so that the answer's usage must be known to settle. */
  readonly needsUsage: boolean;
}

/** A chain with nothing to check. */
export const emptyChain: LimitChain = { counters: [], owners: [], hasBudgets: false, needsUsage: false };

function addModelConfigs(owners: LimitOwner[], index: ModelConfigIndex, model: string, provider: string) {
  if (index.size === 0) return;
  // The most specific first: this model on this provider, this model anywhere, then every model (`*`).
  for (const key of [
    modelConfigKey(model, provider),
    modelConfigKey(model, undefined),
    modelConfigKey('*', provider),
    modelConfigKey('*', undefined),
  ]) {
    const owner = index.get(key);
    if (owner !== undefined && !owners.includes(owner)) owners.push(owner);
  }
}

/**
 * Collects the limits that apply to a request in upstream's order: the deployment's provider limits, global model
 * configs, the virtual key's provider config, the virtual key, its model configs, its customer, its team.
 */
export function collectLimitChain(
  snapshot: GovernanceSnapshot,
  virtualKey: ResolvedVirtualKey | undefined,
  provider: string,
  model: string,
): LimitChain {
  const owners: LimitOwner[] = [];
  const deployment = snapshot.providers.get(provider);
  if (deployment !== undefined) owners.push(deployment);
  addModelConfigs(owners, snapshot.modelConfigs, model, provider);
  if (virtualKey !== undefined) {
    const config = virtualKey.providerConfigs.get(provider)?.limits;
    if (config !== undefined) owners.push(config);
    if (virtualKey.limits !== undefined) owners.push(virtualKey.limits);
    addModelConfigs(owners, virtualKey.modelConfigs, model, provider);
    if (virtualKey.customer !== undefined) owners.push(virtualKey.customer);
    if (virtualKey.team !== undefined) owners.push(virtualKey.team);
  }
  if (owners.length === 0) return emptyChain;
  const counters: LimitCounter[] = [];
  const counterOwners: LimitOwner[] = [];
  let hasBudgets = false;
  let needsUsage = false;
  for (const owner of owners) {
    for (const counter of owner.counters) {
      counters.push(counter);
      counterOwners.push(owner);
      if (counter.kind === 'budget') hasBudgets = true;
      if (counter.kind !== 'requests') needsUsage = true;
    }
  }
  return { counters, owners: counterOwners, hasBudgets, needsUsage };
}
