import type { ResolvedVirtualKey } from '../state/governance-snapshot.js';

/** The refusals decided before any counter is read, in upstream's names. */
export type AccessDecision =
  | 'virtual_key_required'
  | 'access_not_found'
  | 'access_blocked'
  | 'provider_blocked'
  | 'model_blocked';

/** A refusal and its message, as upstream words it. */
export interface AccessRefusal {
  readonly decision: AccessDecision;
  readonly message: string;
}

/** No virtual key while `enforce_auth_on_inference` is on. */
export const virtualKeyRequired: AccessRefusal = {
  decision: 'virtual_key_required',
  message: 'virtual key is required. Provide a virtual key via the x-bf-vk header.',
};

/** A virtual key that does not exist (or no longer does). */
export const accessNotFound: AccessRefusal = {
  decision: 'access_not_found',
  message: 'access not found. The provided credential does not exist or has been revoked.',
};

const inactive: AccessRefusal = { decision: 'access_blocked', message: 'virtual key is inactive' };
const expired: AccessRefusal = { decision: 'access_blocked', message: 'virtual key has expired' };

/**
 * Whether a known virtual key may call this provider and model at `now`: inactive (which wins over expired), then
 * expired, then the provider, then the model. Undefined when it may.
 */
export function checkAccess(
  virtualKey: ResolvedVirtualKey,
  provider: string,
  model: string,
  now: number,
): AccessRefusal | undefined {
  if (!virtualKey.isActive) return inactive;
  if (virtualKey.expiresAt !== undefined && now >= virtualKey.expiresAt) return expired;
  const config = virtualKey.providerConfigs.get(provider);
  if (config === undefined) {
    if (virtualKey.allowAllProviders) return undefined;
    return {
      decision: 'provider_blocked',
      message: `Provider '${provider}' is not allowed for virtual key '${virtualKey.name}'`,
    };
  }
  // The blacklist wins over the allow list.
  if (config.blacklistedModels.matches(model) || !config.allowedModels.matches(model)) {
    return {
      decision: 'model_blocked',
      message: `Model '${model}' is not allowed for virtual key '${virtualKey.name}'`,
    };
  }
  return undefined;
}
