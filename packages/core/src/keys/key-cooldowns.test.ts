import type { Key } from '@bifrost/schemas';
import { describe, expect, it } from 'vitest';
import { KeyCooldowns } from './key-cooldowns.js';

const key = (value: string, models: string[] = [], weight = 1): Key => ({ value, models, weight });
const a = key('sk-a');
const b = key('sk-b');
const onlyMini = key('sk-mini', ['gpt-4o-mini']);

describe('KeyCooldowns', () => {
  it('starts empty and sets a key aside until its cooldown ends', () => {
    const cooldowns = new KeyCooldowns();
    expect(cooldowns.isEmpty).toBe(true);
    cooldowns.coolDown(a, 1000, 0);
    expect(cooldowns.isEmpty).toBe(false);
    expect(cooldowns.isAvailable(a, 999)).toBe(false);
    expect(cooldowns.isAvailable(b, 999)).toBe(true);
    expect(cooldowns.isAvailable(a, 1000)).toBe(true);
    expect(cooldowns.isEmpty).toBe(true);
  });

  it('extends a running cooldown but never shortens it', () => {
    const cooldowns = new KeyCooldowns();
    cooldowns.coolDown(a, 5000, 0);
    cooldowns.coolDown(a, 1000, 0);
    expect(cooldowns.isAvailable(a, 4000)).toBe(false);
    cooldowns.coolDown(a, 10_000, 0);
    expect(cooldowns.isAvailable(a, 9000)).toBe(false);
  });

  it('ignores a zero cooldown', () => {
    const cooldowns = new KeyCooldowns();
    cooldowns.coolDown(a, 0, 0);
    expect(cooldowns.isEmpty).toBe(true);
  });

  it('offers the keys that serve the model and are not cooling, or every key when none is left', () => {
    const cooldowns = new KeyCooldowns();
    cooldowns.coolDown(a, 1000, 0);
    expect(cooldowns.available([a, b, onlyMini], 'gpt-4o', 10)).toEqual([b]);
    expect(cooldowns.available([a, b, onlyMini], 'gpt-4o-mini', 10)).toEqual([b, onlyMini]);
    cooldowns.coolDown(b, 1000, 0);
    expect(cooldowns.available([a, b, onlyMini], 'gpt-4o', 10)).toEqual([a, b, onlyMini]);
  });

  it('tells whether another key could take the request, skipping weight 0 and other models', () => {
    const cooldowns = new KeyCooldowns();
    cooldowns.coolDown(a, 1000, 0);
    expect(cooldowns.hasOtherAvailable([a, b], a, 'gpt-4o', 10)).toBe(true);
    expect(cooldowns.hasOtherAvailable([a, key('sk-zero', [], 0)], a, 'gpt-4o', 10)).toBe(false);
    expect(cooldowns.hasOtherAvailable([a, onlyMini], a, 'gpt-4o', 10)).toBe(false);
    cooldowns.coolDown(b, 1000, 0);
    expect(cooldowns.hasOtherAvailable([a, b], a, 'gpt-4o', 10)).toBe(false);
  });
});
