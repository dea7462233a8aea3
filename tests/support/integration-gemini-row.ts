import { readGeminiFixture, startGeminiUpstream } from './gemini-upstream.js';
import { echoOf, type IntegrationUpstream, type ReplyOptions } from './integration-upstreams.js';

type JsonObject = Record<string, unknown>;
const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const modelVersion = 'gemini-2.5-flash';
const responseId = 'mAitaLmkHPPlz7IPvtfUqQ4';
const usageMetadata = { promptTokenCount: 8, candidatesTokenCount: 6, totalTokenCount: 14 };

function response(parts: JsonObject[], finishReason?: string, usage?: JsonObject) {
  const candidate: JsonObject = { content: { parts, role: 'model' }, index: 0 };
  if (finishReason) candidate.finishReason = finishReason;
  return { candidates: [candidate], ...(usage ? { usageMetadata: usage } : {}), modelVersion, responseId };
}

/**
 * The Gemini-format row of the SDK matrix: `tests/support/gemini-upstream.ts`. Its defaults answer with fixed
 * documented examples, so every chat answer is scripted here in Gemini's documented shapes; embeddings use the
 * fake's default vectors.
 */
export async function startGeminiIntegrationUpstream(apiKey: string): Promise<IntegrationUpstream> {
  const upstream = await startGeminiUpstream({ apiKeys: [apiKey] });
  return {
    format: 'gemini',
    provider: 'gemini',
    chatModel: modelVersion,
    embeddingModel: 'gemini-embedding-001',
    // Gemini's calls carry no ids; the provider makes them up and leaves them out of the function response.
    toolResultsCarryCallIds: false,
    apiKey,
    url: upstream.url,
    expectChat: (question: string, { stream }: ReplyOptions) => {
      const text = echoOf(question);
      if (!stream) {
        upstream.enqueue({ kind: 'json', body: response([{ text }], 'STOP', usageMetadata) });
        return;
      }
      const words = text.match(/\s*\S+/g) ?? [text];
      upstream.enqueue({
        kind: 'sse',
        events: words.map((word, index) =>
          index === words.length - 1
            ? response([{ text: word }], 'STOP', usageMetadata)
            : response([{ text: word }], undefined, { promptTokenCount: 8, totalTokenCount: 8 }),
        ),
      });
    },
    expectToolCall: (tool, args, { stream }) => {
      const parts = [{ functionCall: { name: tool, args }, thoughtSignature: 'CiwBVKhc7nRyTi3HmggPD9iQ' }];
      const body = response(parts, 'STOP', usageMetadata);
      upstream.enqueue(stream ? { kind: 'sse', events: [body] } : { kind: 'json', body });
    },
    failNext: (status) =>
      upstream.enqueue(
        status === 429
          ? {
              kind: 'json',
              status,
              body: readGeminiFixture('error-429-resource-exhausted'),
              headers: { 'retry-after': '1' },
            }
          : {
              kind: 'error',
              status,
              googleStatus: 'INVALID_ARGUMENT',
              message: 'Request contains an invalid argument.',
            },
      ),
    requestCount: () => upstream.requests.length,
    lastRequestBody: () => upstream.requests.at(-1)?.body,
    lastToolResult: () => {
      const body = upstream.requests.at(-1)?.body;
      if (!isObject(body) || !Array.isArray(body.contents)) return undefined;
      for (const content of body.contents) {
        if (!isObject(content) || !Array.isArray(content.parts)) continue;
        for (const part of content.parts) {
          if (!isObject(part) || !isObject(part.functionResponse)) continue;
          const functionResponse = part.functionResponse;
          return {
            callId: typeof functionResponse.id === 'string' ? functionResponse.id : undefined,
            content: JSON.stringify(functionResponse.response),
          };
        }
      }
      return undefined;
    },
    lastCredential: () => {
      const value = upstream.requests.at(-1)?.headers['x-goog-api-key'];
      return typeof value === 'string' ? value : undefined;
    },
    reset: () => upstream.reset(),
    close: () => upstream.close(),
  };
}
