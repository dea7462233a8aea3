import { describe, expect, it } from 'vitest';
import { isProviderName, parseModelReference } from './provider.js';

describe('parseModelReference', () => {
  it('splits provider and model at the first slash', () => {
    expect(parseModelReference('openai/gpt-4o-mini')).toEqual({ provider: 'openai', model: 'gpt-4o-mini' });
  });

  it('keeps later slashes in the model', () => {
    expect(parseModelReference('openrouter/meta-llama/llama-3')).toEqual({
      provider: 'openrouter',
      model: 'meta-llama/llama-3',
    });
  });

  it('returns undefined for an unknown provider', () => {
    expect(parseModelReference('acme/model-1')).toBeUndefined();
  });

  it('returns undefined when either part is missing', () => {
    expect(parseModelReference('gpt-4o-mini')).toBeUndefined();
    expect(parseModelReference('/gpt-4o-mini')).toBeUndefined();
    expect(parseModelReference('openai/')).toBeUndefined();
    expect(parseModelReference('')).toBeUndefined();
  });
});

describe('isProviderName', () => {
  it('tells known provider names from others', () => {
    expect(isProviderName('groq')).toBe(true);
    expect(isProviderName('Groq')).toBe(false);
    expect(isProviderName('toString')).toBe(false);
  });
});
