import type { AssistantMessage, ChatResponse, FinishReason, Usage } from '@bifrost/schemas';
import type {
  AnthropicMessageResponse,
  AnthropicResponseBlock,
  AnthropicStopReason,
  AnthropicUsage,
} from './anthropic-messages-wire.js';

const stopReasons: Readonly<Record<FinishReason, AnthropicStopReason>> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  function_call: 'tool_use',
  content_filter: 'refusal',
};

/** Anthropic's `stop_reason` for an OpenAI `finish_reason`. */
export function anthropicStopReason(reason: FinishReason | null | undefined): AnthropicStopReason | null {
  return reason ? (stopReasons[reason] ?? 'end_turn') : null;
}

/**
 * Anthropic's usage from OpenAI-shaped usage. OpenAI's `prompt_tokens` counts cached tokens too, while
 * Anthropic's `input_tokens` leaves out the tokens read from and written to the cache.
 */
export function anthropicUsage(usage: Usage | null | undefined): AnthropicUsage {
  if (!usage) return { input_tokens: 0, output_tokens: 0 };
  const cacheRead = usage.prompt_tokens_details?.cached_tokens ?? 0;
  const cacheWrite = usage.prompt_tokens_details?.cache_write_tokens ?? 0;
  const anthropic: AnthropicUsage = {
    input_tokens: Math.max(0, usage.prompt_tokens - cacheRead - cacheWrite),
    output_tokens: usage.completion_tokens,
  };
  if (cacheRead > 0) anthropic.cache_read_input_tokens = cacheRead;
  if (cacheWrite > 0) anthropic.cache_creation_input_tokens = cacheWrite;
  return anthropic;
}

/** A tool call's arguments as Anthropic's `input` object; text that is not JSON is kept under `raw`. */
export function toolInput(argumentsText: string): unknown {
  if (argumentsText.trim() === '') return {};
  try {
    return JSON.parse(argumentsText);
  } catch {
    return { raw: argumentsText };
  }
}

/**
 * Translates the engine's chat completion into an Anthropic message: thinking blocks (with their signatures)
 * first, then the text, then one `tool_use` block per tool call with its arguments parsed.
 */
export function chatResponseToAnthropic(response: ChatResponse): AnthropicMessageResponse {
  const choice = response.choices[0];
  return {
    id: response.id,
    type: 'message',
    role: 'assistant',
    model: response.model,
    content: choice ? contentBlocks(choice.message) : [],
    stop_reason: anthropicStopReason(choice?.finish_reason),
    stop_sequence: null,
    usage: anthropicUsage(response.usage),
  };
}

function contentBlocks(message: AssistantMessage): AnthropicResponseBlock[] {
  const blocks: AnthropicResponseBlock[] = [];
  if (message.reasoning_details && message.reasoning_details.length > 0) {
    for (const detail of message.reasoning_details) {
      blocks.push(
        detail.type === 'reasoning.encrypted'
          ? { type: 'redacted_thinking', data: detail.data }
          : { type: 'thinking', thinking: detail.text, signature: detail.signature ?? '' },
      );
    }
  } else if (message.reasoning) {
    blocks.push({ type: 'thinking', thinking: message.reasoning, signature: '' });
  }
  const text =
    typeof message.content === 'string'
      ? message.content
      : (message.content ?? []).map((part) => part.text).join('');
  if (text !== '') blocks.push({ type: 'text', text });
  if (message.refusal) blocks.push({ type: 'text', text: message.refusal });
  for (const call of message.tool_calls ?? []) {
    blocks.push({
      type: 'tool_use',
      id: call.id,
      name: call.function.name,
      input: toolInput(call.function.arguments),
    });
  }
  return blocks;
}
