import type {
  ChatRequest,
  ChatResponse,
  ChatStreamChunk,
  EmbeddingRequest,
  EmbeddingResponse,
  Key,
  ModelInfo,
  ProviderName,
  TextCompletionRequest,
  TextCompletionResponse,
} from '@bifrost/schemas';

/** What the engine hands a provider for one attempt. */
export interface ProviderCallOptions {
  key: Key;
  /** Aborted when the caller goes away; the upstream request must stop. */
  signal?: AbortSignal;
}

/**
 * A provider's answer before the engine stamps it: everything but `extra_fields`, which the engine fills in
 * (latency, retries, fallback) once it knows them. `warnings` and `raw_response` come from the provider.
 */
export type ProviderResult<Response extends { extra_fields: unknown }> = Omit<Response, 'extra_fields'> & {
  extra_fields?: { warnings?: string[]; raw_response?: unknown };
};

/** An established stream: chunks in order, and a way to stop it early. */
export interface ProviderStream extends AsyncIterable<ChatStreamChunk> {
  /** Stops the upstream request and releases its connection. */
  cancel(): void;
  /** Options the provider could not honour; the engine reports them in the stream's `extra_fields`. */
  readonly warnings?: readonly string[];
}

/**
 * The interface every provider implements: translate the request, call the provider, translate the answer.
 * Methods reject with a {@link GatewayError}.
 */
export interface Provider {
  readonly name: ProviderName;
  /** Whether calls need an API key; local servers such as Ollama do not. */
  readonly requiresKey: boolean;
  chatCompletion(request: ChatRequest, options: ProviderCallOptions): Promise<ProviderResult<ChatResponse>>;
  /** Resolves once the provider has accepted the stream (status and headers received), so failures before the first chunk can be retried. */
  chatCompletionStream(request: ChatRequest, options: ProviderCallOptions): Promise<ProviderStream>;
  textCompletion(
    request: TextCompletionRequest,
    options: ProviderCallOptions,
  ): Promise<ProviderResult<TextCompletionResponse>>;
  embedding(
    request: EmbeddingRequest,
    options: ProviderCallOptions,
  ): Promise<ProviderResult<EmbeddingResponse>>;
  listModels(options: ProviderCallOptions): Promise<ModelInfo[]>;
  /** Closes pooled connections. */
  close(): Promise<void>;
}
