/**
 * Gateway provider ids that other catalogs spell differently, folded onto the gateway's own id. Upstream's
 * datasheet uses LiteLLM's names (`vertex_ai`, `together_ai`).
 */
const PROVIDER_ALIASES: Readonly<Record<string, string>> = {
  vertex_ai: 'vertex',
  'google-vertex': 'vertex',
  google: 'gemini',
  aws: 'bedrock',
  together_ai: 'together',
  fireworks_ai: 'fireworks',
  'x-ai': 'xai',
  azure_ai: 'azure',
};

/** Folds a provider spelling onto the gateway's provider id (`vertex_ai` → `vertex`). */
export function normalizeProvider(provider: string): string {
  const lower = provider.trim().toLowerCase();
  return PROVIDER_ALIASES[lower] ?? lower;
}

/** Splits `openai/gpt-4o-mini` into its provider and model; a name without a slash keeps the given provider. */
export function splitProviderPrefix(model: string, provider: string): { provider: string; model: string } {
  const slash = model.indexOf('/');
  if (slash > 0) return { provider: normalizeProvider(model.slice(0, slash)), model: model.slice(slash + 1) };
  return { provider: normalizeProvider(provider), model };
}

// `gpt-4o-2024-08-06`, `claude-3-5-sonnet-20240620`; Bedrock's `-v1:0` suffix stays, it is part of the id.
const DATE_SUFFIX = /-(?:\d{4}-\d{2}-\d{2}|\d{8})$/;

/** The names to try for a model, most specific first: as given, then without a trailing release date. */
export function modelNameCandidates(model: string): string[] {
  const undated = model.replace(DATE_SUFFIX, '');
  return undated === model ? [model] : [model, undated];
}
