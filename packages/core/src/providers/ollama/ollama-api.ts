import type { ProviderName } from '@bifrost/schemas';
import { GatewayError } from '../../errors/gateway-error.js';
import { isRecord } from '../kit/is-record.js';
import { malformedResponseError } from '../kit/malformed-response-error.js';

/** A tool call as Ollama writes it: arguments are a JSON object, and there is no call id. */
export interface OllamaToolCall {
  /** Newer servers number their calls; older ones send nothing, and the gateway makes ids up. */
  id?: string;
  function: { name: string; arguments: Record<string, unknown> };
}

/** A message of `POST /api/chat`, in a request or an answer. */
export interface OllamaMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  /** Base64 image bytes, without a `data:` prefix. */
  images?: string[];
  thinking?: string;
  tool_calls?: OllamaToolCall[];
  /** On a tool result: the tool that produced it. */
  tool_name?: string;
}

/** The counters Ollama ends every generation with. */
export interface OllamaCounts {
  prompt_eval_count?: number;
  eval_count?: number;
}

/** A `POST /api/chat` answer, or one line of its NDJSON stream. */
export interface OllamaChatResponse extends OllamaCounts {
  model?: string;
  created_at?: string;
  message?: OllamaMessage;
  done: boolean;
  done_reason?: string;
}

/** A `POST /api/generate` answer without streaming. */
export interface OllamaGenerateResponse extends OllamaCounts {
  model?: string;
  created_at?: string;
  response: string;
  thinking?: string;
  done: boolean;
  done_reason?: string;
}

/** A `POST /api/embed` answer. */
export interface OllamaEmbedResponse {
  model?: string;
  embeddings: number[][];
  prompt_eval_count?: number;
}

/** One entry of `GET /api/tags`. */
export interface OllamaModel {
  name: string;
  modified_at?: string;
}

/** The error an `{"error": …}` body stands for when it arrives with a 200, as stream lines do. */
export function ollamaReportedError(message: unknown, provider: ProviderName, model: string): GatewayError {
  return new GatewayError('provider_error', typeof message === 'string' ? message : JSON.stringify(message), {
    provider,
    model,
    statusCode: 502,
    fromProvider: true,
  });
}

function expectRecord(
  value: unknown,
  what: string,
  provider: ProviderName,
  model: string,
): Record<string, unknown> {
  if (!isRecord(value)) throw malformedResponseError(provider, model, `expected ${what}`);
  if (value.error !== undefined && value.error !== null)
    throw ollamaReportedError(value.error, provider, model);
  return value;
}

/** Checks a chat answer, or one stream line, rather than casting it. */
export function readOllamaChatResponse(
  value: unknown,
  provider: ProviderName,
  model: string,
): OllamaChatResponse {
  const body = expectRecord(value, 'a chat response object', provider, model);
  if (typeof body.done !== 'boolean') throw malformedResponseError(provider, model, 'missing "done"');
  if (body.message !== undefined && !isRecord(body.message)) {
    throw malformedResponseError(provider, model, '"message" is not an object');
  }
  const toolCalls = (body.message as { tool_calls?: unknown } | undefined)?.tool_calls;
  if (toolCalls !== undefined && toolCalls !== null && !Array.isArray(toolCalls)) {
    throw malformedResponseError(provider, model, '"message.tool_calls" is not an array');
  }
  return body as unknown as OllamaChatResponse;
}

/** Checks a generate answer. */
export function readOllamaGenerateResponse(
  value: unknown,
  provider: ProviderName,
  model: string,
): OllamaGenerateResponse {
  const body = expectRecord(value, 'a generate response object', provider, model);
  if (typeof body.response !== 'string') throw malformedResponseError(provider, model, 'missing "response"');
  return body as unknown as OllamaGenerateResponse;
}

/** Checks an embed answer. */
export function readOllamaEmbedResponse(
  value: unknown,
  provider: ProviderName,
  model: string,
): OllamaEmbedResponse {
  const body = expectRecord(value, 'an embed response object', provider, model);
  if (!Array.isArray(body.embeddings))
    throw malformedResponseError(provider, model, 'missing "embeddings" array');
  return body as unknown as OllamaEmbedResponse;
}

/** Checks a model list and returns its entries that have a name. */
export function readOllamaModels(value: unknown, provider: ProviderName): OllamaModel[] {
  const body = expectRecord(value, 'a model list object', provider, '');
  if (!Array.isArray(body.models)) throw malformedResponseError(provider, '', 'missing "models" array');
  return body.models.filter(
    (entry): entry is OllamaModel => isRecord(entry) && typeof entry.name === 'string',
  );
}

/** Ollama's RFC 3339 `created_at` in Unix seconds; a missing or unreadable one falls back to `fallbackSeconds`. */
export function ollamaCreatedSeconds(createdAt: string | undefined, fallbackSeconds: number): number {
  const milliseconds = createdAt === undefined ? Number.NaN : Date.parse(createdAt);
  return Number.isNaN(milliseconds) ? fallbackSeconds : Math.floor(milliseconds / 1000);
}
