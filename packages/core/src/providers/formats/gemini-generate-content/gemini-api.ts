import type { ProviderName } from '@bifrost/schemas';
import { errorInSuccessBody } from '../../kit/error-in-success-body.js';
import { isRecord } from '../../kit/is-record.js';
import { malformedResponseError } from '../../kit/malformed-response-error.js';

/**
 * Wire types of Google's `generateContent` API, shared by Gemini (AI Studio) and Vertex AI, and the readers that
 * check a 2xx body has the documented shape rather than casting it.
 */

/** One part of a turn: text, a thought, inline bytes, a file reference, a function call or its result. */
export interface GeminiPart {
  text?: string;
  /** True on a thought-summary part. */
  thought?: boolean;
  /** Opaque proof of the model's reasoning, to be sent back on the same part next turn. */
  thoughtSignature?: string;
  inlineData?: { mimeType: string; data: string };
  fileData?: { mimeType?: string; fileUri: string };
  functionCall?: { id?: string; name: string; args?: Record<string, unknown> };
  functionResponse?: { id?: string; name: string; response: Record<string, unknown> };
  [other: string]: unknown;
}

/** A turn of the conversation; Gemini knows only `user` and `model`. */
export interface GeminiContent {
  role?: 'user' | 'model';
  parts: GeminiPart[];
}

/** Token counts as Gemini reports them. */
export interface GeminiUsageMetadata {
  promptTokenCount?: number;
  candidatesTokenCount?: number;
  thoughtsTokenCount?: number;
  cachedContentTokenCount?: number;
  toolUsePromptTokenCount?: number;
  totalTokenCount?: number;
}

/** One generated answer. */
export interface GeminiCandidate {
  index?: number;
  content?: { role?: string; parts?: GeminiPart[] };
  finishReason?: string;
  finishMessage?: string;
}

/** The body of `generateContent`, and of each `streamGenerateContent?alt=sse` event. */
export interface GeminiGenerateContentResponse {
  candidates?: GeminiCandidate[];
  promptFeedback?: { blockReason?: string; blockReasonMessage?: string };
  usageMetadata?: GeminiUsageMetadata;
  modelVersion?: string;
  responseId?: string;
}

/** The parts of Google's error envelope, `{error:{code, message, status}}`. */
export interface GoogleErrorBody {
  code?: number;
  message?: string;
  status?: string;
  details?: unknown[];
}

/** Checks a `generateContent` body (or one stream event); a body carrying `error` becomes that error. */
export function readGenerateContentResponse(
  value: unknown,
  provider: ProviderName,
  model: string,
): GeminiGenerateContentResponse {
  const body = expectObject(value, 'GenerateContentResponse', provider, model);
  if (body.candidates !== undefined && !Array.isArray(body.candidates)) {
    throw malformedResponseError(provider, model, '"candidates" is not an array');
  }
  for (const candidate of (body.candidates as unknown[] | undefined) ?? []) {
    if (!isRecord(candidate)) throw malformedResponseError(provider, model, 'a candidate is not an object');
    const parts = isRecord(candidate.content) ? candidate.content.parts : undefined;
    if (parts !== undefined && !Array.isArray(parts)) {
      throw malformedResponseError(provider, model, 'a candidate\'s "content.parts" is not an array');
    }
  }
  return body as GeminiGenerateContentResponse;
}

/** Reads `embedContent` (`{embedding:{values}}`) and `batchEmbedContents` (`{embeddings:[{values}]}`) bodies. */
export function readGeminiEmbeddings(value: unknown, provider: ProviderName, model: string): number[][] {
  const body = expectObject(value, 'embeddings', provider, model);
  const entries = Array.isArray(body.embeddings) ? body.embeddings : [body.embedding];
  return entries.map((entry) => {
    if (!isRecord(entry) || !Array.isArray(entry.values)) {
      throw malformedResponseError(provider, model, 'an embedding has no "values" array');
    }
    return entry.values as number[];
  });
}

/** Reads `GET /v1beta/models`: `models[].name` is `models/gemini-…`. */
export function readGeminiModelNames(value: unknown, provider: ProviderName): string[] {
  const body = expectObject(value, 'model list', provider, '');
  if (!Array.isArray(body.models)) throw malformedResponseError(provider, '', 'missing "models" array');
  const names: string[] = [];
  for (const entry of body.models) {
    if (isRecord(entry) && typeof entry.name === 'string') names.push(entry.name.replace(/^models\//, ''));
  }
  return names;
}

/** Extracts Google's error envelope from a parsed body (also the array-wrapped form); `undefined` if none. */
export function googleErrorFromValue(value: unknown): GoogleErrorBody | undefined {
  const record = Array.isArray(value) ? value[0] : value;
  if (!isRecord(record) || !isRecord(record.error)) return undefined;
  return record.error as GoogleErrorBody;
}

function expectObject(
  value: unknown,
  what: string,
  provider: ProviderName,
  model: string,
): Record<string, unknown> {
  const error = googleErrorFromValue(value);
  if (error !== undefined) {
    throw errorInSuccessBody({ message: error.message, type: error.status }, provider, model);
  }
  if (!isRecord(value)) throw malformedResponseError(provider, model, `expected a ${what} object`);
  return value;
}
