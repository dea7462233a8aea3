import type { ModelParameters, TextCompletionChoice, TextCompletionResponse } from '@bifrost/schemas';
import type { ProviderResult } from '../provider.js';
import { ollamaUsage } from './convert-from-ollama-response.js';
import { toOllamaParameters } from './convert-to-ollama-request.js';
import { mapOllamaFinishReason } from './map-ollama-finish-reason.js';
import type { OllamaGenerateResponse } from './ollama-api.js';

/** Completion parameters `/api/generate` has under the same name, or that the chat translation already reads. */
const generateParameters: ReadonlySet<string> = new Set([
  'suffix',
  'system',
  'raw',
  'stop',
  'options',
  'stream',
]);

/** Translates one prompt of an OpenAI-shaped text completion into an Ollama `POST /api/generate` body. */
export function toOllamaGenerateRequest(
  model: string,
  prompt: string,
  params: ModelParameters,
): { body: Record<string, unknown>; warnings: string[] } {
  const warnings: string[] = [];
  const body: Record<string, unknown> = { model, prompt, stream: false };
  toOllamaParameters(params, body, warnings, generateParameters);
  for (const name of ['suffix', 'system', 'raw'] as const) {
    if (params[name] !== undefined) body[name] = params[name];
  }
  return { body, warnings };
}

/** Joins the answers to each prompt, in order, into one OpenAI text completion. */
export function fromOllamaGenerateResponses(
  responses: readonly OllamaGenerateResponse[],
  id: string,
  createdSeconds: number,
  model: string,
): ProviderResult<TextCompletionResponse> {
  let prompt = 0;
  let completion = 0;
  const choices: TextCompletionChoice[] = responses.map((response, index) => {
    const usage = ollamaUsage(response);
    prompt += usage.prompt_tokens;
    completion += usage.completion_tokens;
    return {
      index,
      text: response.response,
      finish_reason: mapOllamaFinishReason(response.done_reason, false),
    };
  });
  return {
    id,
    object: 'text_completion',
    created: createdSeconds,
    model,
    choices,
    usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
  };
}
