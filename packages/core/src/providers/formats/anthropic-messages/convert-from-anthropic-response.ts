import type {
  AssistantMessage,
  ChatResponse,
  ProviderName,
  ReasoningDetail,
  ToolCall,
  Usage,
} from '@bifrost/schemas';
import { errorInSuccessBody } from '../../kit/error-in-success-body.js';
import { malformedResponseError } from '../../kit/malformed-response-error.js';
import type { ProviderResult } from '../../provider.js';
import type { AnthropicUsage } from './anthropic-api.js';
import { anthropicErrorBodyFromValue } from './anthropic-error-body.js';
import { mapAnthropicFinishReason, pauseTurnWarning } from './map-anthropic-finish-reason.js';

/**
 * Translates an Anthropic Messages API answer into an OpenAI chat completion: text blocks joined into `content`,
 * `tool_use` blocks as `tool_calls`, thinking as `reasoning` and `reasoning_details` (signatures kept), and usage
 * with the cached prompt parts counted in. The body is checked rather than cast.
 */
export function fromAnthropicResponse(
  parsed: unknown,
  provider: ProviderName,
  model: string,
): ProviderResult<ChatResponse> {
  const body = expectMessage(parsed, provider, model);
  const warnings: string[] = [];
  let text = '';
  let reasoning = '';
  const toolCalls: ToolCall[] = [];
  const reasoningDetails: ReasoningDetail[] = [];
  for (const value of body.content) {
    const block = expectRecord(value, 'a content block', provider, model);
    switch (block.type) {
      case 'text':
        text += stringField(block, 'text', provider, model);
        break;
      case 'tool_use':
        toolCalls.push({
          id: stringField(block, 'id', provider, model),
          type: 'function',
          function: {
            name: stringField(block, 'name', provider, model),
            arguments: JSON.stringify(block.input ?? {}),
          },
        });
        break;
      case 'thinking': {
        const thinking = stringField(block, 'thinking', provider, model);
        reasoning += thinking;
        const detail: ReasoningDetail = {
          type: 'reasoning.text',
          text: thinking,
          index: reasoningDetails.length,
        };
        if (typeof block.signature === 'string') detail.signature = block.signature;
        reasoningDetails.push(detail);
        break;
      }
      case 'redacted_thinking':
        reasoningDetails.push({
          type: 'reasoning.encrypted',
          data: stringField(block, 'data', provider, model),
          index: reasoningDetails.length,
        });
        break;
      default:
        warnings.push(
          `anthropic returned a ${String(block.type)} block, which has no OpenAI equivalent and was left out`,
        );
    }
  }

  const message: AssistantMessage = {
    role: 'assistant',
    content: text === '' && toolCalls.length > 0 ? null : text,
  };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (reasoningDetails.length > 0) {
    message.reasoning = reasoning;
    message.reasoning_details = reasoningDetails;
  }
  if (body.stop_reason === 'pause_turn') warnings.push(pauseTurnWarning);

  const result: ProviderResult<ChatResponse> = {
    id: typeof body.id === 'string' ? body.id : '',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: typeof body.model === 'string' ? body.model : model,
    choices: [
      {
        index: 0,
        message,
        finish_reason: mapAnthropicFinishReason(
          typeof body.stop_reason === 'string' ? body.stop_reason : null,
        ),
      },
    ],
  };
  if (typeof body.usage === 'object' && body.usage !== null)
    result.usage = toOpenAIUsage(body.usage as AnthropicUsage);
  if (warnings.length > 0) result.extra_fields = { warnings };
  return result;
}

/**
 * Normalises Anthropic's usage. Anthropic's `input_tokens` counts only the uncached part of the prompt, so
 * `prompt_tokens` adds the tokens read from and written to the cache, as OpenAI's count includes them; thinking
 * tokens, part of `output_tokens` on both sides, are reported as `reasoning_tokens`.
 */
export function toOpenAIUsage(usage: AnthropicUsage): Usage {
  const cacheRead = usage.cache_read_input_tokens ?? undefined;
  const cacheWrite = usage.cache_creation_input_tokens ?? undefined;
  const promptTokens = (usage.input_tokens ?? 0) + (cacheRead ?? 0) + (cacheWrite ?? 0);
  const completionTokens = usage.output_tokens ?? 0;
  const normalised: Usage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
  if (cacheRead !== undefined || cacheWrite !== undefined) {
    normalised.prompt_tokens_details = {};
    if (cacheRead !== undefined) normalised.prompt_tokens_details.cached_tokens = cacheRead;
    if (cacheWrite !== undefined) normalised.prompt_tokens_details.cache_write_tokens = cacheWrite;
  }
  const thinkingTokens = usage.output_tokens_details?.thinking_tokens;
  if (typeof thinkingTokens === 'number')
    normalised.completion_tokens_details = { reasoning_tokens: thinkingTokens };
  return normalised;
}

function expectMessage(
  value: unknown,
  provider: ProviderName,
  model: string,
): Record<string, unknown> & { content: unknown[] } {
  const body = expectRecord(value, 'a message object', provider, model);
  if (body.type === 'error') {
    throw errorInSuccessBody(anthropicErrorBodyFromValue(body), provider, model);
  }
  if (!Array.isArray(body.content)) throw malformedResponseError(provider, model, 'missing "content" array');
  return body as Record<string, unknown> & { content: unknown[] };
}

function expectRecord(
  value: unknown,
  what: string,
  provider: ProviderName,
  model: string,
): Record<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value))
    return value as Record<string, unknown>;
  throw malformedResponseError(provider, model, `expected ${what}`);
}

function stringField(
  block: Record<string, unknown>,
  name: string,
  provider: ProviderName,
  model: string,
): string {
  const value = block[name];
  if (typeof value === 'string') return value;
  throw malformedResponseError(provider, model, `a ${String(block.type)} block has no "${name}" string`);
}
