/** Every provider the gateway knows how to call. */
export const providerNames = [
  'openai',
  'azure',
  'anthropic',
  'bedrock',
  'cohere',
  'vertex',
  'gemini',
  'mistral',
  'ollama',
  'groq',
  'sgl',
  'parasail',
  'cerebras',
  'openrouter',
  'xai',
  'deepseek',
] as const;

/** The name of a provider, as used in config files and in `provider/model` strings. */
export type ProviderName = (typeof providerNames)[number];

const providerNameSet: ReadonlySet<string> = new Set(providerNames);

/** Tells whether a string names a provider the gateway knows. */
export function isProviderName(value: string): value is ProviderName {
  return providerNameSet.has(value);
}

/** A provider and one of its models: the unit a request is routed to. */
export interface ModelReference {
  provider: ProviderName;
  model: string;
}

/**
 * Splits `"provider/model"` into its parts.
 *
 * Only the first slash separates: `openrouter/meta-llama/llama-3` is model `meta-llama/llama-3` of `openrouter`.
 * Returns `undefined` when the prefix is not a known provider.
 */
export function parseModelReference(value: string): ModelReference | undefined {
  const slash = value.indexOf('/');
  if (slash <= 0 || slash === value.length - 1) return undefined;
  const provider = value.slice(0, slash);
  if (!isProviderName(provider)) return undefined;
  return { provider, model: value.slice(slash + 1) };
}
