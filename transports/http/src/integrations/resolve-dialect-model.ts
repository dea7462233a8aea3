import type { ModelReference, ProviderName } from '@bifrost/schemas';
import { parseModelReference } from '@bifrost/schemas';
import { invalidRequest } from '../error-response.js';

/**
 * The provider and model an SDK's `model` names: `provider/model` goes to that provider, a bare name to the
 * dialect's own provider (`gpt-4o-mini` on the OpenAI routes is OpenAI's). A slash whose prefix is not a known
 * provider is part of the model's name (`meta-llama/Llama-3` stays whole).
 */
export function resolveDialectModel(
  model: unknown,
  defaultProvider: ProviderName,
  path = 'model',
): ModelReference {
  if (typeof model !== 'string' || model === '') throw invalidRequest('must be a non-empty string', path);
  return parseModelReference(model) ?? { provider: defaultProvider, model };
}
