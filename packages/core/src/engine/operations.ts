import type {
  BifrostRequest,
  BifrostResponse,
  ChatRequest,
  ChatResponse,
  EmbeddingRequest,
  EmbeddingResponse,
  Key,
  RequestType,
  TextCompletionRequest,
  TextCompletionResponse,
} from '@bifrost/schemas';
import type { Provider, ProviderCallOptions, ProviderResult, ProviderStream } from '../providers/provider.js';
import { awaitFirstChunk } from '../streaming/await-first-chunk.js';
import { responseToChunks } from '../streaming/response-to-chunks.js';
import { type AttemptOrigin, extraFieldsOf } from './attempt-origin.js';
import { ChatCompletionStream, type StreamPlugins } from './chat-completion-stream.js';
import type { ProviderRuntime } from './provider-runtime.js';

/**
 * One kind of request the engine serves: how to call a provider for it and how its answer reaches the caller.
 * Every stage is written once against this shape, so a new kind of request is a new row of {@link operations}.
 */
export interface Operation<Request extends BifrostRequest, Result, Output> {
  readonly type: RequestType;
  /** A streamed answer runs its postHooks when the stream ends, not when the provider accepts the request. */
  readonly streamed: boolean;
  /** The provider method for this kind of request. */
  call(provider: Provider, request: Request, options: ProviderCallOptions): Promise<Result>;
  /**
   * Until this resolves, the attempt is still the retry loop's to retry: a stream until its first chunk. `endAttempt`
   * stops the attempt's deadline: at once for a whole answer, when the stream ends for a stream. `key` is the one
   * the call went out with, redacted from any error the answer carries later. Passed apart rather than as one
   * object: this runs on every attempt.
   */
  accept(
    result: Result,
    runtime: ProviderRuntime,
    request: Request,
    key: Key,
    endAttempt: () => void,
  ): Promise<Result> | Result;
  /** The caller's answer from the provider's, stamped with the attempt's `extra_fields`. */
  deliver(
    result: Result,
    origin: AttemptOrigin,
    plugins: StreamPlugins | undefined,
    now: () => number,
  ): Output;
  /** The caller's answer from a whole response (a plugin's), or undefined when this kind cannot carry it. */
  fromResponse(
    response: BifrostResponse,
    origin: AttemptOrigin,
    plugins: StreamPlugins | undefined,
    now: () => number,
  ): Output | undefined;
}

function acceptWhole<Result>(
  result: Result,
  _runtime: ProviderRuntime,
  _request: unknown,
  _key: Key,
  endAttempt: () => void,
): Result {
  endAttempt();
  return result;
}

/** Stamps the gateway's `extra_fields` on a provider's whole answer, keeping its warnings and raw response. */
function stampExtraFields<Response extends BifrostResponse>(
  result: ProviderResult<Response>,
  origin: AttemptOrigin,
  _plugins: StreamPlugins | undefined,
  now: () => number,
): Response {
  const extra = result.extra_fields;
  const fields = extraFieldsOf(origin, now());
  if (extra?.warnings) fields.warnings = extra.warnings;
  if (extra?.raw_response !== undefined) fields.raw_response = extra.raw_response;
  result.extra_fields = fields;
  return result as Response;
}

/** A plugin's whole answer goes back as it is, whatever its kind: the plugin knows what it answers. */
function wholeResponse<Response>(response: BifrostResponse): Response {
  return response as Response;
}

function plainOperation<Request extends BifrostRequest, Response extends BifrostResponse>(
  type: RequestType,
  call: (
    provider: Provider,
    request: Request,
    options: ProviderCallOptions,
  ) => Promise<ProviderResult<Response>>,
): Operation<Request, ProviderResult<Response>, Response> {
  return {
    type,
    streamed: false,
    call,
    accept: acceptWhole,
    deliver: stampExtraFields,
    fromResponse: wholeResponse,
  };
}

/** A whole chat completion replayed as the chunks a stream would have carried. */
function replayedStream(response: ChatResponse): ProviderStream {
  const chunks = responseToChunks(response);
  return {
    async *[Symbol.asyncIterator]() {
      yield* chunks;
    },
    cancel: () => {},
  };
}

const chatCompletionStream: Operation<ChatRequest, ProviderStream, ChatCompletionStream> = {
  type: 'chat_completion_stream',
  streamed: true,
  call: (provider, request, options) => provider.chatCompletionStream(request, options),
  // Until its first chunk a stream is still this attempt's: a silent or failing one is retried. The stream keeps
  // the attempt's deadline until it ends.
  accept: (stream, runtime, request, key, endAttempt) =>
    awaitFirstChunk(stream, runtime.timeouts.firstTokenMs, request, endAttempt, key.value),
  deliver: (stream, origin, plugins, now) => new ChatCompletionStream(stream, origin, plugins, now),
  fromResponse: (response, origin, plugins, now) =>
    response.object === 'chat.completion'
      ? new ChatCompletionStream(replayedStream(response), origin, plugins, now)
      : undefined,
};

/** Every kind of request the engine serves, by {@link RequestType}. */
export const operations = {
  chat_completion: plainOperation<ChatRequest, ChatResponse>(
    'chat_completion',
    (provider, request, options) => provider.chatCompletion(request, options),
  ),
  chat_completion_stream: chatCompletionStream,
  text_completion: plainOperation<TextCompletionRequest, TextCompletionResponse>(
    'text_completion',
    (provider, request, options) => provider.textCompletion(request, options),
  ),
  embedding: plainOperation<EmbeddingRequest, EmbeddingResponse>('embedding', (provider, request, options) =>
    provider.embedding(request, options),
  ),
} as const satisfies Record<RequestType, unknown>;
