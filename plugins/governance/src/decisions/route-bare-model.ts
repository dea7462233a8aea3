import type { ProviderName, RoutedModel } from '@bifrost/schemas';
import type {
  GovernanceSnapshot,
  LimitCounter,
  ResolvedProviderConfig,
  ResolvedVirtualKey,
} from '../state/governance-snapshot.js';

/** Whether a counter has reached its limit in its current window. */
export type IsExhausted = (counter: LimitCounter) => boolean;

function overLimit(counters: readonly LimitCounter[] | undefined, isExhausted: IsExhausted): boolean {
  if (counters === undefined) return false;
  for (const counter of counters) if (isExhausted(counter)) return true;
  return false;
}

/**
 * Routes a model named without a provider (`"gpt-4o"`) by the virtual key's provider configs, as upstream does:
 * the candidates are the configs that allow the model, are not over their own (or the deployment provider's)
 * limits and have a weight; one is picked at random by weight and the rest follow as fallbacks, heaviest first.
 * Undefined when no candidate remains, so the request goes on unchanged and the checks refuse it.
 */
export function routeBareModel(
  snapshot: GovernanceSnapshot,
  virtualKey: ResolvedVirtualKey,
  model: string,
  isExhausted: IsExhausted,
  random: () => number = Math.random,
): RoutedModel[] | undefined {
  const candidates: ResolvedProviderConfig[] = [];
  let total = 0;
  for (const config of virtualKey.providerConfigs.values()) {
    if (config.weight === null || config.weight <= 0) continue;
    if (config.blacklistedModels.matches(model) || !config.allowedModels.matches(model)) continue;
    if (overLimit(config.limits?.counters, isExhausted)) continue;
    if (overLimit(snapshot.providers.get(config.provider)?.counters, isExhausted)) continue;
    candidates.push(config);
    total += config.weight;
  }
  if (candidates.length === 0) return undefined;
  let point = random() * total;
  let chosen = candidates[candidates.length - 1] as ResolvedProviderConfig;
  for (const candidate of candidates) {
    point -= candidate.weight as number;
    if (point < 0) {
      chosen = candidate;
      break;
    }
  }
  const fallbacks = candidates
    .filter((candidate) => candidate !== chosen)
    .sort((a, b) => (b.weight as number) - (a.weight as number));
  // Provider configs name providers the store validated against the configured ones.
  return [chosen, ...fallbacks].map((config) => ({ provider: config.provider as ProviderName, model }));
}
