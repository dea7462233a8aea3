import type { Key, ProviderName } from '@bifrost/schemas';
import { GatewayError } from '../errors/gateway-error.js';

/** Whether a key may serve a model: an empty list or `"*"` means every model. */
export function keyServesModel(key: Key, model: string): boolean {
  const models = key.models;
  if (models.length === 0) return true;
  for (const candidate of models) {
    if (candidate === '*' || candidate === model) return true;
  }
  return false;
}

/**
 * Picks a key at random, weighted by `weight`, among those that serve the model. Weight 0 is never chosen.
 * `random` returns a number in [0, 1), as `Math.random` does; inject it to make tests deterministic.
 */
export function selectKey(
  keys: readonly Key[],
  provider: ProviderName,
  model: string,
  random: () => number = Math.random,
): Key {
  let total = 0;
  let only: Key | undefined;
  let eligible = 0;
  for (const key of keys) {
    if (key.weight > 0 && keyServesModel(key, model)) {
      total += key.weight;
      eligible++;
      only = key;
    }
  }
  if (eligible === 0) {
    throw new GatewayError('no_key_available', `no ${provider} key is configured for model "${model}"`, {
      provider,
      model,
    });
  }
  if (eligible === 1) return only!;
  let point = random() * total;
  for (const key of keys) {
    if (key.weight > 0 && keyServesModel(key, model)) {
      point -= key.weight;
      if (point < 0) return key;
    }
  }
  // Floating-point rounding can leave a sliver past the last key; it belongs to the last eligible one.
  return only!;
}
