import type { BifrostRequest } from '@bifrost/schemas';

/** What a request is expected to use, before the provider says: the amounts its reservation holds. */
export interface RequestEstimate {
  promptTokens: number;
  completionTokens: number;
}

/** Completion tokens reserved for a request that names no `max_tokens`. */
export const defaultCompletionTokens = 512;

// About four characters a token in English text: close enough for a reservation, and far cheaper than a tokenizer.
const charactersPerToken = 4;

function textLength(content: unknown): number {
  if (typeof content === 'string') return content.length;
  if (!Array.isArray(content)) return 0;
  let length = 0;
  for (const part of content) {
    const text = (part as { text?: unknown }).text;
    if (typeof text === 'string') length += text.length;
  }
  return length;
}

function inputLength(input: string | string[]): number {
  return typeof input === 'string' ? input.length : textLength(input.map((text) => ({ text })));
}

/**
 * Estimates a request's tokens: the prompt from its text length, the completion from `max_completion_tokens` or
 * `max_tokens`, else `completionTokens` (embeddings complete nothing). Only reservations use it; the answer's
 * usage is what gets charged.
 */
export function estimateRequest(
  request: BifrostRequest,
  completionTokens: number = defaultCompletionTokens,
): RequestEstimate {
  let characters = 0;
  let completes = true;
  if ('messages' in request) {
    for (const message of request.messages) characters += textLength(message.content);
  } else if ('text' in request) characters = inputLength(request.text);
  else {
    characters = inputLength(request.input);
    completes = false;
  }
  const params = request.params;
  const maximum = params?.max_completion_tokens ?? params?.max_tokens;
  return {
    promptTokens: Math.ceil(characters / charactersPerToken),
    completionTokens: completes ? (maximum ?? completionTokens) : 0,
  };
}
