import type {
  ChatStreamChoice,
  ChatStreamChunk,
  ChatStreamDelta,
  FinishReason,
  ToolCallDelta,
  Usage,
} from '@bifrost/schemas';
import type { Dispatcher } from 'undici';
import { parseServerSentEvents } from '../../../streaming/sse-parser.js';
import { buildChatChunk } from '../../kit/build-chat-chunk.js';
import { parseStreamEventJson } from '../../kit/parse-stream-event-json.js';
import { streamCutShortError } from '../../kit/stream-cut-short-error.js';
import { type StreamContext, translatedStream } from '../../kit/translated-stream.js';
import { upstreamError } from '../../kit/upstream-error.js';
import type { ProviderStream } from '../../provider.js';
import { googleErrorFromValue, readGenerateContentResponse } from './gemini-api.js';
import { googleErrorBody } from './gemini-error-body.js';
import { readCandidateParts, reasoningDetailsOf } from './gemini-parts.js';
import { toUsage } from './gemini-usage.js';
import { mapGeminiFinishReason } from './map-gemini-finish-reason.js';

/** Where one candidate's stream stands. */
interface CandidateState {
  roleSent: boolean;
  toolCalls: number;
  finishReason?: FinishReason;
}

/**
 * Wraps a `streamGenerateContent?alt=sse` body (each event a whole GenerateContentResponse, no `[DONE]`) as
 * OpenAI chunks: text, thoughts and whole tool calls as they come, then one last chunk with every candidate's
 * finish reason and the usage Gemini reported last.
 */
export function geminiChatStream(
  body: Dispatcher.ResponseData['body'],
  context: StreamContext,
  /** Unix seconds stamped on every chunk. */
  created: number,
): ProviderStream {
  return translatedStream(body, context, (source) => readGeminiEvents(source, context, created));
}

async function* readGeminiEvents(
  body: Dispatcher.ResponseData['body'],
  context: StreamContext,
  created: number,
): AsyncGenerator<ChatStreamChunk> {
  const candidates = new Map<number, CandidateState>();
  let id = `gemini-${created}`;
  let model = context.model;
  let usage: Usage | undefined;
  let blocked: { reason: string; message?: string } | undefined;

  for await (const event of parseServerSentEvents(body)) {
    const value = parseStreamEventJson(event.data, context);
    const error = googleErrorFromValue(value);
    if (error !== undefined) {
      throw upstreamError(
        typeof error.code === 'number' ? error.code : 502,
        {},
        googleErrorBody(value),
        context,
      );
    }
    const response = readGenerateContentResponse(value, context.provider, context.model);
    if (response.responseId !== undefined) id = response.responseId;
    if (response.modelVersion !== undefined) model = response.modelVersion;
    if (response.usageMetadata !== undefined) usage = toUsage(response.usageMetadata);
    if (response.promptFeedback?.blockReason !== undefined && (response.candidates ?? []).length === 0) {
      blocked = {
        reason: response.promptFeedback.blockReason,
        message: response.promptFeedback.blockReasonMessage,
      };
    }

    const choices: ChatStreamChoice[] = [];
    for (const [position, candidate] of (response.candidates ?? []).entries()) {
      const index = candidate.index ?? position;
      let state = candidates.get(index);
      if (state === undefined) {
        state = { roleSent: false, toolCalls: 0 };
        candidates.set(index, state);
      }
      const parts = readCandidateParts(candidate.content?.parts, state.toolCalls);
      const delta: ChatStreamDelta = {};
      if (parts.text !== '') delta.content = parts.text;
      if (parts.thoughts !== '') delta.reasoning = parts.thoughts;
      const details = reasoningDetailsOf(parts);
      if (details.length > 0) delta.reasoning_details = details;
      if (parts.toolCalls.length > 0) {
        // Gemini sends each call whole, so one fragment carries id, name and the complete arguments.
        const fragments: ToolCallDelta[] = [];
        for (const call of parts.toolCalls) fragments.push({ index: state.toolCalls++, ...call });
        delta.tool_calls = fragments;
      }
      if (candidate.finishReason !== undefined) {
        state.finishReason = mapGeminiFinishReason(candidate.finishReason, state.toolCalls > 0).finishReason;
      }
      if (Object.keys(delta).length === 0) continue;
      if (!state.roleSent) {
        state.roleSent = true;
        choices.push({ index, delta: { role: 'assistant', ...delta }, finish_reason: null });
      } else {
        choices.push({ index, delta, finish_reason: null });
      }
    }
    if (choices.length > 0) yield buildChatChunk({ id, created, model }, choices);
  }

  const finished: ChatStreamChoice[] = [];
  for (const [index, state] of candidates) {
    if (state.finishReason === undefined) continue;
    finished.push({
      index,
      delta: state.roleSent ? {} : { role: 'assistant' },
      finish_reason: state.finishReason,
    });
  }
  if (finished.length === 0 && blocked !== undefined) {
    const refusal = `The prompt was blocked (${blocked.reason})${blocked.message ? `: ${blocked.message}` : ''}`;
    finished.push({ index: 0, delta: { role: 'assistant', refusal }, finish_reason: 'content_filter' });
  }
  // Gemini ends the body after the event that finishes every candidate; ending before that is a cut.
  if (finished.length === 0 || finished.length < candidates.size) throw streamCutShortError(context);
  yield buildChatChunk({ id, created, model }, finished, usage);
}
