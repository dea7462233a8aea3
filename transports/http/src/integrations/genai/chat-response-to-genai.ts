import type { AssistantMessage, ChatResponse, FinishReason, ToolCall, Usage } from '@bifrost/schemas';

/** One part of a Gemini `Content`. */
export type GenAIPart =
  | { text: string; thought?: true; thoughtSignature?: string }
  | { functionCall: { id: string; name: string; args: unknown }; thoughtSignature?: string };

/** One answer of a `GenerateContentResponse`. */
export interface GenAICandidate {
  content: { role: 'model'; parts: GenAIPart[] };
  finishReason?: string;
  index: number;
}

/** Gemini's token counts: `candidatesTokenCount` leaves out the thinking, counted in `thoughtsTokenCount`. */
export interface GenAIUsageMetadata {
  promptTokenCount: number;
  candidatesTokenCount: number;
  totalTokenCount: number;
  cachedContentTokenCount?: number;
  thoughtsTokenCount?: number;
}

/** Gemini's `GenerateContentResponse`, whole or as one streamed piece. */
export interface GenAIResponse {
  candidates: GenAICandidate[];
  usageMetadata?: GenAIUsageMetadata;
  modelVersion: string;
  responseId: string;
}

const finishReasons: Readonly<Record<FinishReason, string>> = {
  stop: 'STOP',
  length: 'MAX_TOKENS',
  // Gemini ends a turn that calls functions with STOP.
  tool_calls: 'STOP',
  function_call: 'STOP',
  content_filter: 'SAFETY',
};

/** Gemini's `finishReason` for an OpenAI `finish_reason`. */
export function genAIFinishReason(reason: FinishReason): string {
  return finishReasons[reason] ?? 'OTHER';
}

/** Gemini's usage from OpenAI-shaped usage. */
export function genAIUsage(usage: Usage): GenAIUsageMetadata {
  const thoughts = usage.completion_tokens_details?.reasoning_tokens ?? 0;
  const metadata: GenAIUsageMetadata = {
    promptTokenCount: usage.prompt_tokens,
    candidatesTokenCount: Math.max(0, usage.completion_tokens - thoughts),
    totalTokenCount: usage.total_tokens,
  };
  const cached = usage.prompt_tokens_details?.cached_tokens;
  if (cached) metadata.cachedContentTokenCount = cached;
  if (thoughts > 0) metadata.thoughtsTokenCount = thoughts;
  return metadata;
}

/** A tool call as a `functionCall` part, its arguments parsed and its thought signature beside it. */
export function functionCallPart(call: Pick<ToolCall, 'id' | 'function' | 'extra_content'>): GenAIPart {
  let args: unknown = {};
  if (call.function.arguments.trim() !== '') {
    try {
      args = JSON.parse(call.function.arguments);
    } catch {
      args = { raw: call.function.arguments };
    }
  }
  const part: GenAIPart = { functionCall: { id: call.id, name: call.function.name, args } };
  const signature = call.extra_content?.google?.thought_signature;
  if (signature !== undefined) part.thoughtSignature = signature;
  return part;
}

/**
 * Translates the engine's chat completion into a Gemini `GenerateContentResponse`: thought parts (with their
 * signatures) first, then the text, then one `functionCall` part per tool call.
 */
export function chatResponseToGenAI(response: ChatResponse): GenAIResponse {
  const answer: GenAIResponse = {
    candidates: response.choices.map((choice) => {
      const candidate: GenAICandidate = {
        content: { role: 'model', parts: modelParts(choice.message) },
        index: choice.index,
      };
      if (choice.finish_reason) candidate.finishReason = genAIFinishReason(choice.finish_reason);
      return candidate;
    }),
    modelVersion: response.model,
    responseId: response.id,
  };
  if (response.usage) answer.usageMetadata = genAIUsage(response.usage);
  return answer;
}

function modelParts(message: AssistantMessage): GenAIPart[] {
  const parts: GenAIPart[] = [];
  if (message.reasoning_details && message.reasoning_details.length > 0) {
    for (const detail of message.reasoning_details) {
      if (detail.type !== 'reasoning.text') continue;
      const part: GenAIPart = { text: detail.text, thought: true };
      if (detail.signature !== undefined) part.thoughtSignature = detail.signature;
      parts.push(part);
    }
  } else if (message.reasoning) {
    parts.push({ text: message.reasoning, thought: true });
  }
  const text =
    typeof message.content === 'string'
      ? message.content
      : (message.content ?? []).map((part) => part.text).join('');
  if (text !== '') parts.push({ text });
  if (message.refusal) parts.push({ text: message.refusal });
  for (const call of message.tool_calls ?? []) parts.push(functionCallPart(call));
  return parts;
}
