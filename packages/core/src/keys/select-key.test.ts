import type { Key } from '@bifrost/schemas';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../errors/gateway-error.js';
import { seededRandom, sequenceRandom } from '../testing/seeded-random.js';
import { keyServesModel, selectKey } from './select-key.js';

const key = (id: string, weight: number, models: string[] = []): Key => ({
  id,
  value: `sk-${id}`,
  weight,
  models,
});

describe('keyServesModel', () => {
  it('serves every model when the list is empty or holds "*"', () => {
    expect(keyServesModel(key('a', 1), 'gpt-4o')).toBe(true);
    expect(keyServesModel(key('a', 1, ['*']), 'gpt-4o')).toBe(true);
  });

  it('serves only the listed models otherwise', () => {
    expect(keyServesModel(key('a', 1, ['gpt-4o', 'gpt-4o-mini']), 'gpt-4o-mini')).toBe(true);
    expect(keyServesModel(key('a', 1, ['gpt-4o']), 'gpt-4o-mini')).toBe(false);
  });
});

describe('selectKey', () => {
  const keys = [key('light', 1), key('heavy', 3)];

  it('gives each key a share of [0, 1) proportional to its weight', () => {
    expect(selectKey(keys, 'openai', 'gpt-4o', () => 0).id).toBe('light');
    expect(selectKey(keys, 'openai', 'gpt-4o', () => 0.2499).id).toBe('light');
    expect(selectKey(keys, 'openai', 'gpt-4o', () => 0.25).id).toBe('heavy');
    expect(selectKey(keys, 'openai', 'gpt-4o', () => 0.9999999).id).toBe('heavy');
  });

  it('chooses only among keys that serve the model', () => {
    const mixed = [key('mini-only', 5, ['gpt-4o-mini']), key('any', 1, ['*']), key('embeddings', 5, ['ada'])];
    const random = sequenceRandom(0, 0.5, 0.99);
    for (let pick = 0; pick < 3; pick++) expect(selectKey(mixed, 'openai', 'gpt-4o', random).id).toBe('any');
    expect(selectKey(mixed, 'openai', 'gpt-4o-mini', () => 0.99).id).toBe('any');
    expect(selectKey(mixed, 'openai', 'gpt-4o-mini', () => 0.8).id).toBe('mini-only');
  });

  it('never chooses a key of weight 0', () => {
    const withZero = [key('zero', 0), key('one', 1), key('also-zero', 0)];
    for (const point of [0, 0.5, 0.9999999]) {
      expect(selectKey(withZero, 'openai', 'gpt-4o', () => point).id).toBe('one');
    }
  });

  it('throws no_key_available naming the provider and model when no key fits', () => {
    const unfit = [key('zero', 0), key('other', 1, ['gpt-4o'])];
    let caught: unknown;
    try {
      selectKey(unfit, 'groq', 'llama-3.1-8b-instant', () => 0);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(GatewayError);
    expect(caught).toMatchObject({
      code: 'no_key_available',
      provider: 'groq',
      model: 'llama-3.1-8b-instant',
    });
    expect((caught as GatewayError).message).toContain('groq');
    expect((caught as GatewayError).message).toContain('llama-3.1-8b-instant');
  });

  it('throws no_key_available for an empty key list', () => {
    expect(() => selectKey([], 'openai', 'gpt-4o')).toThrow(GatewayError);
  });

  it('spreads 10,000 picks in proportion to the weights', () => {
    const weighted = [key('a', 1), key('b', 2), key('c', 7), key('never', 0)];
    const random = seededRandom(20_240_601);
    const counts = new Map<string, number>();
    for (let pick = 0; pick < 10_000; pick++) {
      const chosen = selectKey(weighted, 'openai', 'gpt-4o', random).id!;
      counts.set(chosen, (counts.get(chosen) ?? 0) + 1);
    }
    // Expected 1,000 / 2,000 / 7,000; the bounds are over five standard deviations wide.
    expect(counts.get('a')).toBeGreaterThan(850);
    expect(counts.get('a')).toBeLessThan(1150);
    expect(counts.get('b')).toBeGreaterThan(1800);
    expect(counts.get('b')).toBeLessThan(2200);
    expect(counts.get('c')).toBeGreaterThan(6770);
    expect(counts.get('c')).toBeLessThan(7230);
    expect(counts.has('never')).toBe(false);
  });
});
