import type { Key } from '@bifrost/schemas';
import { keyServesModel } from './select-key.js';

/**
 * Keys a provider has recently refused (401/403) or rate-limited (429 with `Retry-After`), and until when. While
 * a key cools down, requests go to the provider's other keys; when every key is cooling, all are used again
 * rather than failing without trying.
 */
export class KeyCooldowns {
  private readonly until = new Map<string, number>();

  /** True when no key is cooling down: the common case, which costs nothing more. */
  get isEmpty(): boolean {
    return this.until.size === 0;
  }

  /** Sets the key aside until `now + durationMs` (extending, never shortening, a cooldown already running). */
  coolDown(key: Key, durationMs: number, now: number): void {
    if (durationMs <= 0) return;
    const ends = now + durationMs;
    const current = this.until.get(key.value);
    if (current === undefined || current < ends) this.until.set(key.value, ends);
  }

  /** Whether the key is usable now; forgets cooldowns that have ended. */
  isAvailable(key: Key, now: number): boolean {
    const ends = this.until.get(key.value);
    if (ends === undefined) return true;
    if (ends <= now) {
      this.until.delete(key.value);
      return true;
    }
    return false;
  }

  /** The keys that serve the model and are usable now, or all the keys when none is. */
  available(keys: readonly Key[], model: string, now: number): readonly Key[] {
    const usable = keys.filter(
      (key) => key.weight > 0 && keyServesModel(key, model) && this.isAvailable(key, now),
    );
    return usable.length === 0 ? keys : usable;
  }

  /** Whether some key other than `except` could serve the model now. */
  hasOtherAvailable(keys: readonly Key[], except: Key, model: string, now: number): boolean {
    for (const key of keys) {
      if (
        key.value !== except.value &&
        key.weight > 0 &&
        keyServesModel(key, model) &&
        this.isAvailable(key, now)
      ) {
        return true;
      }
    }
    return false;
  }
}
