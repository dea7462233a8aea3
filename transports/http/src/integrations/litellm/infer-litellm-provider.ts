import type { ModelReference, ProviderName } from '@bifrost/schemas';
import { parseModelReference } from '@bifrost/schemas';
import { invalidRequest } from '../../error-response.js';

/** Model-name prefixes and the provider each belongs to, checked in order. */
const familyPrefixes: readonly (readonly [string, ProviderName])[] = [
  ['gpt-', 'openai'],
  ['chatgpt-', 'openai'],
  ['text-embedding-', 'openai'],
  ['o1', 'openai'],
  ['o3', 'openai'],
  ['o4', 'openai'],
  ['claude-', 'anthropic'],
  ['gemini-', 'gemini'],
  ['mistral-', 'mistral'],
  ['codestral', 'mistral'],
  ['pixtral', 'mistral'],
  ['ministral', 'mistral'],
  ['open-mistral', 'mistral'],
  ['command', 'cohere'],
];

/**
 * The provider of a LiteLLM-style model name: an explicit `provider/model` wins, otherwise the model family
 * decides (`gpt-*`, `o1`/`o3`/`o4` → openai, `claude-*` → anthropic, `gemini-*` → gemini, `mistral-*`,
 * `codestral`, `pixtral` → mistral, `command-*` → cohere). A name no family claims is a 400 naming `model`.
 */
export function inferLiteLLMProvider(model: unknown): ModelReference {
  if (typeof model !== 'string' || model === '') throw invalidRequest('must be a non-empty string', 'model');
  const explicit = parseModelReference(model);
  if (explicit) return explicit;
  for (const [prefix, provider] of familyPrefixes) {
    if (model.startsWith(prefix)) return { provider, model };
  }
  throw invalidRequest(
    `cannot tell the provider of ${JSON.stringify(model)}; write it as "provider/model" (e.g. "openai/${model}")`,
    'model',
  );
}
