import type {
  BifrostError,
  BifrostRequest,
  BifrostResponse,
  ChatMessage,
  ChatResponse,
  TextCompletionResponse,
  Usage,
} from '@bifrost/schemas';
import type {
  ChatCompletionResult,
  GenerationConfig,
  GenerationError,
  TextCompletionResult,
} from '@maximai/maxim-js';

/** The messages of a Maxim generation. */
export type MaximMessages = GenerationConfig['messages'];

/**
 * A chat request's messages as they are, and a text completion's prompt as one user message; `undefined` for
 * requests Maxim has no generation for (embeddings).
 */
export function toMaximMessages(request: BifrostRequest): MaximMessages | undefined {
  if ('messages' in request) {
    // Maxim's API takes OpenAI's message shape, which ours is; the SDK's type is narrower than what it sends on.
    return request.messages as unknown as MaximMessages;
  }
  if ('text' in request) {
    const prompt = Array.isArray(request.text) ? request.text.join('\n') : request.text;
    return [{ role: 'user', content: prompt }];
  }
  return undefined;
}

/** The text of the last user message (or the prompt), which Maxim shows as the trace's input. */
export function traceInputOf(request: BifrostRequest): string | undefined {
  if ('text' in request) return Array.isArray(request.text) ? request.text.join('\n') : request.text;
  if (!('messages' in request)) return undefined;
  const last = request.messages.findLast((message) => message.role === 'user');
  return last === undefined ? undefined : textOf(last.content);
}

/** The first choice's text, which Maxim shows as the trace's output. */
export function traceOutputOf(response: BifrostResponse): string | undefined {
  if (response.object === 'chat.completion') return textOf(response.choices[0]?.message.content) ?? undefined;
  if (response.object === 'text_completion') return response.choices[0]?.text;
  return undefined;
}

/** A completion in the shape `generation.result()` records; `undefined` for embeddings. */
export function toMaximResult(
  response: BifrostResponse,
): ChatCompletionResult | TextCompletionResult | undefined {
  if (response.object === 'chat.completion') return chatResult(response);
  if (response.object === 'text_completion') return textResult(response);
  return undefined;
}

function chatResult(response: ChatResponse): ChatCompletionResult {
  return {
    id: response.id,
    object: response.object,
    created: response.created,
    model: response.model,
    choices: response.choices.map((choice) => ({
      index: choice.index,
      // As for requests: OpenAI's shape, which the SDK's type narrows.
      message: choice.message as ChatCompletionResult['choices'][number]['message'],
      logprobs: (choice.logprobs ?? null) as ChatCompletionResult['choices'][number]['logprobs'],
      finish_reason: choice.finish_reason ?? '',
    })),
    usage: usageOf(response.usage),
  };
}

function textResult(response: TextCompletionResponse): TextCompletionResult {
  return {
    id: response.id,
    object: response.object,
    created: response.created,
    model: response.model,
    choices: response.choices.map((choice) => ({
      index: choice.index,
      text: choice.text,
      logprobs: (choice.logprobs ?? null) as TextCompletionResult['choices'][number]['logprobs'],
      finish_reason: choice.finish_reason ?? '',
    })),
    usage: usageOf(response.usage),
  };
}

/** Maxim requires usage; a provider that reported none is recorded as zero tokens rather than guessed. */
function usageOf(usage: Usage | undefined): ChatCompletionResult['usage'] {
  return {
    prompt_tokens: usage?.prompt_tokens ?? 0,
    completion_tokens: usage?.completion_tokens ?? 0,
    total_tokens: usage?.total_tokens ?? 0,
  };
}

/** A gateway or provider error as `generation.error()` records it. */
export function toMaximError(error: BifrostError): GenerationError {
  const code = error.extra_fields?.error_code ?? error.error.code ?? undefined;
  const type = error.error.type ?? error.type;
  return {
    message: error.error.message,
    ...(code === undefined || code === null ? {} : { code }),
    ...(type === undefined ? {} : { type }),
  };
}

function textOf(content: ChatMessage['content'] | undefined): string | undefined {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return undefined;
  const texts = content.flatMap((part) => (part.type === 'text' ? [part.text] : []));
  return texts.length === 0 ? undefined : texts.join('');
}
