import { describe, expect, it } from 'vitest';
import { inferLiteLLMProvider } from './infer-litellm-provider.js';

describe('inferLiteLLMProvider', () => {
  it.each([
    ['gpt-4o-mini', 'openai'],
    ['o1', 'openai'],
    ['o3-mini', 'openai'],
    ['o4-mini', 'openai'],
    ['claude-3-5-haiku-latest', 'anthropic'],
    ['gemini-2.0-flash', 'gemini'],
    ['mistral-large-latest', 'mistral'],
    ['codestral-latest', 'mistral'],
    ['pixtral-12b-2409', 'mistral'],
    ['command-r-plus', 'cohere'],
  ])('reads %s as %s', (model, provider) => {
    expect(inferLiteLLMProvider(model)).toEqual({ provider, model });
  });

  it('lets an explicit provider/model win', () => {
    expect(inferLiteLLMProvider('groq/gpt-oss-20b')).toEqual({ provider: 'groq', model: 'gpt-oss-20b' });
  });

  it('refuses an unknown family with a 400 naming model', () => {
    expect(() => inferLiteLLMProvider('mystery-7b')).toThrow(
      'model: cannot tell the provider of "mystery-7b"; write it as "provider/model" (e.g. "openai/mystery-7b")',
    );
  });
});
