import type { ProviderName } from '@bifrost/schemas';
import { isRecord } from '../kit/is-record.js';
import { malformedResponseError } from '../kit/malformed-response-error.js';

/** One tool call as Cohere's Chat API v2 writes it; the shape is OpenAI's. */
export interface CohereToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** A content item of a user or system message. */
export type CohereUserContent =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string; detail?: 'auto' | 'low' | 'high' } };

/** A content item of an assistant message: the answer, or the thinking that led to it. */
export type CohereAssistantContent = { type: 'text'; text: string } | { type: 'thinking'; thinking: string };

/** A message of a Chat API v2 request. */
export type CohereMessage =
  | { role: 'system'; content: string | { type: 'text'; text: string }[] }
  | { role: 'user'; content: string | CohereUserContent[] }
  | {
      role: 'assistant';
      content?: string | CohereAssistantContent[];
      tool_calls?: CohereToolCall[];
      tool_plan?: string;
    }
  | { role: 'tool'; tool_call_id: string; content: string | { type: 'text'; text: string }[] };

/** A tool definition; Cohere v2 takes OpenAI's function shape but requires `parameters`. */
export interface CohereTool {
  type: 'function';
  function: { name: string; description?: string; parameters: Record<string, unknown> };
}

/** Token counts: `tokens` are what the model read and wrote, `billed_units` what the account pays for. */
export interface CohereUsage {
  billed_units?: { input_tokens?: number; output_tokens?: number };
  tokens?: { input_tokens?: number; output_tokens?: number };
  cached_tokens?: number;
}

/** Why generation stopped. */
export type CohereFinishReason =
  | 'COMPLETE'
  | 'STOP_SEQUENCE'
  | 'MAX_TOKENS'
  | 'TOOL_CALL'
  | 'ERROR'
  | 'TIMEOUT';

/** The assistant message of a chat answer. */
export interface CohereResponseMessage {
  role: 'assistant';
  content?: CohereAssistantContent[];
  tool_calls?: CohereToolCall[];
  tool_plan?: string;
  citations?: unknown[];
}

/** A `POST /v2/chat` answer without streaming. */
export interface CohereChatResponse {
  id: string;
  finish_reason: CohereFinishReason | string;
  message: CohereResponseMessage;
  usage?: CohereUsage;
}

/** A `POST /v2/embed` answer; vectors come keyed by the requested embedding type. */
export interface CohereEmbedResponse {
  id: string;
  embeddings: { float?: number[][]; base64?: string[] };
  texts?: string[];
  meta?: { billed_units?: { input_tokens?: number } };
}

/** One entry of `GET /v1/models`. */
export interface CohereModel {
  name: string;
  endpoints?: string[];
}

/** Checks a chat answer's shape rather than casting it. */
export function readCohereChatResponse(
  value: unknown,
  provider: ProviderName,
  model: string,
): CohereChatResponse {
  if (!isRecord(value)) throw malformedResponseError(provider, model, 'expected a chat response object');
  if (!isRecord(value.message)) throw malformedResponseError(provider, model, 'missing "message" object');
  if (typeof value.finish_reason !== 'string') {
    throw malformedResponseError(provider, model, 'missing "finish_reason"');
  }
  const message = value.message;
  if (message.content !== undefined && message.content !== null && !Array.isArray(message.content)) {
    throw malformedResponseError(provider, model, '"message.content" is not an array');
  }
  if (message.tool_calls !== undefined && message.tool_calls !== null && !Array.isArray(message.tool_calls)) {
    throw malformedResponseError(provider, model, '"message.tool_calls" is not an array');
  }
  return value as unknown as CohereChatResponse;
}

/** Checks an embed answer's shape. */
export function readCohereEmbedResponse(
  value: unknown,
  provider: ProviderName,
  model: string,
): CohereEmbedResponse {
  if (!isRecord(value) || !isRecord(value.embeddings)) {
    throw malformedResponseError(provider, model, 'missing "embeddings" object');
  }
  return value as unknown as CohereEmbedResponse;
}

/** Checks a model list and returns its entries that have a name. */
export function readCohereModels(value: unknown, provider: ProviderName): CohereModel[] {
  if (!isRecord(value) || !Array.isArray(value.models)) {
    throw malformedResponseError(provider, '', 'missing "models" array');
  }
  return value.models.filter(
    (entry): entry is CohereModel => isRecord(entry) && typeof entry.name === 'string',
  );
}
