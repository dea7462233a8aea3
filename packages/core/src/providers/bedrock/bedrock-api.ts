import type { ProviderName } from '@bifrost/schemas';
import { isRecord } from '../kit/is-record.js';
import { malformedResponseError } from '../kit/malformed-response-error.js';

/** Where a cache entry ends: sent after the block it closes, as Converse wants. */
export interface BedrockCachePoint {
  cachePoint: { type: 'default'; ttl?: '5m' | '1h' };
}

/** One content block of a Converse message (the members this gateway writes or reads). */
export type BedrockContentBlock =
  | { text: string }
  | { image: { format: string; source: { bytes: string } | { s3Location: { uri: string } } } }
  | { document: { format: string; name: string; source: { bytes: string } } }
  | { toolUse: { toolUseId: string; name: string; input: unknown } }
  | { toolResult: { toolUseId: string; content: Array<{ text: string }>; status?: 'success' | 'error' } }
  | {
      reasoningContent: { reasoningText: { text: string; signature?: string } } | { redactedContent: string };
    }
  | BedrockCachePoint;

/** A Converse message: the roles alternate, tool results travel in user turns. */
export interface BedrockMessage {
  role: 'user' | 'assistant';
  content: BedrockContentBlock[];
}

/** A tool definition or a cache point after the definitions. */
export type BedrockTool =
  | {
      toolSpec: {
        name: string;
        description?: string;
        inputSchema: { json: Record<string, unknown> };
        strict?: boolean;
      };
    }
  | BedrockCachePoint;

/** The body of `POST /model/{modelId}/converse` and `/converse-stream`. */
export interface BedrockConverseRequest {
  messages: BedrockMessage[];
  system?: Array<{ text: string } | BedrockCachePoint>;
  inferenceConfig?: { maxTokens?: number; temperature?: number; topP?: number; stopSequences?: string[] };
  toolConfig?: {
    tools: BedrockTool[];
    toolChoice?:
      | { auto: Record<string, never> }
      | { any: Record<string, never> }
      | { tool: { name: string } };
  };
  additionalModelRequestFields?: Record<string, unknown>;
  outputConfig?: Record<string, unknown>;
  [nativeField: string]: unknown;
}

/** Converse's token counts; cache counts appear only when prompt caching was used. */
export interface BedrockTokenUsage {
  inputTokens: number;
  outputTokens: number;
  totalTokens?: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
}

/** A validated Converse answer: what the translation reads of it. */
export interface BedrockConverseResponse {
  content: Record<string, unknown>[];
  stopReason: string;
  usage: BedrockTokenUsage | undefined;
}

/** Checks a Converse 200 body: `output.message.content[]`, `stopReason`, `usage`. */
export function readConverseResponse(
  value: unknown,
  provider: ProviderName,
  model: string,
): BedrockConverseResponse {
  if (!isRecord(value)) throw malformedResponseError(provider, model, 'expected a Converse object');
  const message = isRecord(value.output) ? value.output.message : undefined;
  if (!isRecord(message) || !Array.isArray(message.content)) {
    throw malformedResponseError(provider, model, 'missing "output.message.content"');
  }
  const content: Record<string, unknown>[] = [];
  for (const block of message.content) if (isRecord(block)) content.push(block);
  return {
    content,
    stopReason: typeof value.stopReason === 'string' ? value.stopReason : 'end_turn',
    usage: readTokenUsage(value.usage),
  };
}

/** Reads a `usage` object; counts that are not numbers read as absent. */
export function readTokenUsage(value: unknown): BedrockTokenUsage | undefined {
  if (!isRecord(value)) return undefined;
  const usage: BedrockTokenUsage = {
    inputTokens: numberOr(value.inputTokens, 0),
    outputTokens: numberOr(value.outputTokens, 0),
  };
  if (typeof value.totalTokens === 'number') usage.totalTokens = value.totalTokens;
  if (typeof value.cacheReadInputTokens === 'number') usage.cacheReadInputTokens = value.cacheReadInputTokens;
  if (typeof value.cacheWriteInputTokens === 'number')
    usage.cacheWriteInputTokens = value.cacheWriteInputTokens;
  return usage;
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}

/** Reads `GET /foundation-models`: the ids of `modelSummaries[]`. */
export function readFoundationModelIds(value: unknown, provider: ProviderName): string[] {
  if (!isRecord(value) || !Array.isArray(value.modelSummaries)) {
    throw malformedResponseError(provider, '', 'missing "modelSummaries" array');
  }
  const ids: string[] = [];
  for (const summary of value.modelSummaries) {
    if (isRecord(summary) && typeof summary.modelId === 'string') ids.push(summary.modelId);
  }
  return ids;
}
