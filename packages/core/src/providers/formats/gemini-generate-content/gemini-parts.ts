import type { ReasoningDetail, ToolCall } from '@bifrost/schemas';
import type { GeminiPart } from './gemini-api.js';

/** What one candidate's parts (a whole answer, or one stream event's share of it) carry, sorted by kind. */
export interface CandidateParts {
  /** Answer text, parts joined. */
  text: string;
  /** Thought-summary text, parts joined. */
  thoughts: string;
  /** The signature that came on a thought part. */
  thoughtSignature?: string;
  /** A signature that came on an answer (non-thought) text part. */
  textSignature?: string;
  toolCalls: ToolCall[];
  /** Part kinds the chat shape cannot carry (`executableCode`, `inlineData`…), for a warning. */
  dropped: string[];
}

/** Reasoning blocks are numbered so stream fragments of one block share an index: thoughts 0, answer signature 1. */
export const thoughtDetailIndex = 0;
export const textSignatureDetailIndex = 1;

/**
 * Sorts Gemini parts into answer text, thoughts, signatures and tool calls. `nextCallIndex` numbers the calls
 * of the candidate (it continues across stream events); a call Gemini sent without an id gets `call_<n>`.
 */
export function readCandidateParts(
  parts: readonly GeminiPart[] | undefined,
  nextCallIndex: number,
): CandidateParts {
  const result: CandidateParts = { text: '', thoughts: '', toolCalls: [], dropped: [] };
  for (const part of parts ?? []) {
    if (part.functionCall !== undefined) {
      const call: ToolCall = {
        id: part.functionCall.id ?? `call_${nextCallIndex + result.toolCalls.length}`,
        type: 'function',
        function: { name: part.functionCall.name, arguments: JSON.stringify(part.functionCall.args ?? {}) },
      };
      if (part.thoughtSignature !== undefined)
        call.extra_content = { google: { thought_signature: part.thoughtSignature } };
      result.toolCalls.push(call);
    } else if (typeof part.text === 'string') {
      if (part.thought === true) {
        result.thoughts += part.text;
        if (part.thoughtSignature !== undefined) result.thoughtSignature = part.thoughtSignature;
      } else {
        result.text += part.text;
        if (part.thoughtSignature !== undefined) result.textSignature = part.thoughtSignature;
      }
    } else if (part.thoughtSignature !== undefined) {
      // A signature-only part: keep it with the answer so it is replayed.
      result.textSignature = part.thoughtSignature;
    } else {
      const kind = Object.keys(part)[0];
      if (kind !== undefined) result.dropped.push(kind);
    }
  }
  return result;
}

/** The reasoning blocks of a candidate's parts, in the gateway's `reasoning_details` shape. */
export function reasoningDetailsOf(parts: CandidateParts): ReasoningDetail[] {
  const details: ReasoningDetail[] = [];
  if (parts.thoughts !== '' || parts.thoughtSignature !== undefined) {
    details.push(detail(parts.thoughts, parts.thoughtSignature, thoughtDetailIndex));
  }
  if (parts.textSignature !== undefined)
    details.push(detail('', parts.textSignature, textSignatureDetailIndex));
  return details;
}

function detail(text: string, signature: string | undefined, index: number): ReasoningDetail {
  return signature === undefined
    ? { type: 'reasoning.text', text, index }
    : { type: 'reasoning.text', text, signature, index };
}
