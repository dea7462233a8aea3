import type { Account, Key, ProviderName } from '@bifrost/schemas';
import { isPromiseLike } from '../async/is-promise-like.js';
import { GatewayError } from '../errors/gateway-error.js';
import type { KeyCooldowns } from './key-cooldowns.js';
import { selectKey } from './select-key.js';

/** The key a keyless provider (a local Ollama) is called with. */
const keylessKey: Key = { value: '', models: [], weight: 1 };

/** A provider as the key picker sees it. */
export interface KeyedProvider {
  readonly name: ProviderName;
  readonly provider: { readonly requiresKey: boolean };
  readonly cooldowns: KeyCooldowns;
  readonly config: { readonly network_config: { readonly key_cooldown_in_seconds: number } };
}

/** Chooses the account's keys for requests, and sets aside keys a provider refused or rate-limited. */
export class KeyPicker {
  private readonly account: Account;
  private readonly random: () => number;
  private readonly now: () => number;

  constructor(account: Account, random: () => number, now: () => number) {
    this.account = account;
    this.random = random;
    this.now = now;
  }

  /**
   * A weighted choice among the keys serving the model, narrowed to `allowedIds` when a plugin pinned the request
   * to some keys (a virtual key's `key_ids`); synchronous when the account is (the config file's is).
   */
  pick(runtime: KeyedProvider, model: string, allowedIds?: readonly string[]): Key | Promise<Key> {
    const keys = this.account.getKeysForProvider(runtime.name);
    if (isPromiseLike(keys))
      return keys.then((resolved) => this.choosePinned(runtime, resolved, model, allowedIds));
    return this.choosePinned(runtime, keys, model, allowedIds);
  }

  private choosePinned(
    runtime: KeyedProvider,
    keys: readonly Key[],
    model: string,
    allowedIds: readonly string[] | undefined,
  ): Key {
    if (allowedIds === undefined) return this.choose(runtime, keys, model);
    const allowed = pinned(keys, allowedIds);
    if (allowed.length === 0) {
      // Said plainly: "no key is configured" would send the operator to the provider's keys, not the pin.
      throw new GatewayError(
        'no_key_available',
        `none of the ${runtime.name} keys this request may use (its virtual key's key_ids) is configured`,
        { provider: runtime.name, model },
      );
    }
    return this.choose(runtime, allowed, model);
  }

  /** Listing models is not about one model: any usable key will do. */
  async any(runtime: KeyedProvider): Promise<Key> {
    const keys = await this.account.getKeysForProvider(runtime.name);
    const key = keys.find((candidate) => candidate.weight > 0);
    if (key) return key;
    if (!runtime.provider.requiresKey) return keylessKey;
    throw new GatewayError('no_key_available', `no ${runtime.name} key is configured`, {
      provider: runtime.name,
    });
  }

  /**
   * Cools a key the provider refused (401/403: for `key_cooldown_in_seconds`) or rate-limited (429: for its
   * `Retry-After`), and tells whether another key of the provider could take the request now.
   */
  async setAside(runtime: KeyedProvider, model: string, key: Key, failure: GatewayError): Promise<boolean> {
    if (!failure.fromProvider) return false;
    const status = failure.statusCode;
    let durationMs: number;
    if (status === 401 || status === 403) {
      durationMs = runtime.config.network_config.key_cooldown_in_seconds * 1000;
    } else if (status === 429 && failure.retryAfterMs !== undefined) {
      durationMs = failure.retryAfterMs;
    } else {
      return false;
    }
    const now = this.now();
    runtime.cooldowns.coolDown(key, durationMs, now);
    const keys = await this.account.getKeysForProvider(runtime.name);
    return runtime.cooldowns.hasOtherAvailable(keys, key, model, now);
  }

  private choose(runtime: KeyedProvider, keys: readonly Key[], model: string): Key {
    if (keys.length === 0 && !runtime.provider.requiresKey) return keylessKey;
    const usable = runtime.cooldowns.isEmpty ? keys : runtime.cooldowns.available(keys, model, this.now());
    return selectKey(usable, runtime.name, model, this.random);
  }
}

/** The keys a request was pinned to, by id or name; all of them when it was not pinned. */
function pinned(keys: readonly Key[], allowedIds: readonly string[] | undefined): readonly Key[] {
  if (allowedIds === undefined) return keys;
  return keys.filter(
    (key) =>
      (key.id !== undefined && allowedIds.includes(key.id)) ||
      (key.name !== undefined && allowedIds.includes(key.name)),
  );
}
