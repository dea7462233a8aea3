import type { AssistantMessage, ChatResponse, ReasoningDetail, ToolCall } from '@bifrost/schemas';
import { isRecord } from '../kit/is-record.js';
import type { ProviderResult } from '../provider.js';
import type { BedrockConverseResponse } from './bedrock-api.js';
import { toOpenAIUsage } from './bedrock-usage.js';
import { mapBedrockFinishReason } from './map-bedrock-finish-reason.js';

/** Identity of the answer, which Converse does not put in its body. */
export interface BedrockAnswerIdentity {
  /** `x-amzn-requestid`, or a generated id when the header is missing. */
  id: string;
  /** Seconds since the epoch. */
  created: number;
  model: string;
}

/**
 * A Converse answer → `chat.completion`: text blocks joined into `content`, `toolUse` blocks into `tool_calls`
 * (input serialised as the arguments string), reasoning blocks into `reasoning` plus `reasoning_details` with
 * their signatures, so the next turn can replay them.
 */
export function convertFromBedrockResponse(
  response: BedrockConverseResponse,
  identity: BedrockAnswerIdentity,
): ProviderResult<ChatResponse> {
  let text: string | undefined;
  let reasoning: string | undefined;
  const toolCalls: ToolCall[] = [];
  const reasoningDetails: ReasoningDetail[] = [];
  for (const block of response.content) {
    if (typeof block.text === 'string') {
      text = text === undefined ? block.text : text + block.text;
    } else if (isRecord(block.toolUse)) {
      const toolUse = block.toolUse;
      toolCalls.push({
        id: String(toolUse.toolUseId ?? ''),
        type: 'function',
        function: { name: String(toolUse.name ?? ''), arguments: JSON.stringify(toolUse.input ?? {}) },
      });
    } else if (isRecord(block.reasoningContent)) {
      const content = block.reasoningContent;
      const index = reasoningDetails.length;
      if (isRecord(content.reasoningText) && typeof content.reasoningText.text === 'string') {
        const detail: ReasoningDetail = { type: 'reasoning.text', text: content.reasoningText.text, index };
        if (typeof content.reasoningText.signature === 'string') {
          detail.signature = content.reasoningText.signature;
        }
        reasoningDetails.push(detail);
        reasoning = reasoning === undefined ? detail.text : reasoning + detail.text;
      } else if (typeof content.redactedContent === 'string') {
        reasoningDetails.push({ type: 'reasoning.encrypted', data: content.redactedContent, index });
      }
    }
  }
  const message: AssistantMessage = { role: 'assistant', content: text ?? null };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (reasoning !== undefined) message.reasoning = reasoning;
  if (reasoningDetails.length > 0) message.reasoning_details = reasoningDetails;
  const result: ProviderResult<ChatResponse> = {
    id: identity.id,
    object: 'chat.completion',
    created: identity.created,
    model: identity.model,
    choices: [{ index: 0, message, finish_reason: mapBedrockFinishReason(response.stopReason) }],
  };
  if (response.usage) result.usage = toOpenAIUsage(response.usage);
  return result;
}
