import type { MetaConfig } from '@bifrost/schemas';

/**
 * The model id Bedrock is called with, in this order: `inference_profiles[model]` as given (a profile id or
 * full ARN); else `deployments[model]`; else the model name itself. When `arn` is set, an id that is not already
 * an ARN is put under it (`{arn}/{id}`), as upstream Bifrost does for deployments.
 */
export function resolveBedrockModelId(model: string, meta: MetaConfig | undefined): string {
  const profile = meta?.inference_profiles?.[model];
  if (profile !== undefined) return profile;
  const id = meta?.deployments?.[model] ?? model;
  if (meta?.arn === undefined || id.startsWith('arn:')) return id;
  return `${meta.arn.replace(/\/+$/, '')}/${id}`;
}

/** Whether a model (by name or resolved id) is an Anthropic Claude model, which takes `thinking`. */
export function isClaudeModel(model: string, modelId: string): boolean {
  return model.includes('claude') || modelId.includes('anthropic.') || modelId.includes('claude');
}
