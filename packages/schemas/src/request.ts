import type { ChatMessage } from './message.js';
import type { ModelParameters } from './parameters.js';
import type { ModelReference, ProviderName } from './provider.js';

/** The operations the engine performs; plugins see which one they are hooked into. */
export type RequestType = 'chat_completion' | 'chat_completion_stream' | 'text_completion' | 'embedding';

/** What every request has: where it goes, how to generate, and where to go if that fails. */
export interface RequestBase {
  provider: ProviderName;
  model: string;
  params?: ModelParameters;
  /** Tried in order when the primary fails with a retryable error after its own retries. */
  fallbacks?: ModelReference[];
}

/** A chat completion request. */
export interface ChatRequest extends RequestBase {
  messages: ChatMessage[];
}

/** A legacy text completion request. */
export interface TextCompletionRequest extends RequestBase {
  text: string | string[];
}

/** An embedding request for one text or many. */
export interface EmbeddingRequest extends RequestBase {
  input: string | string[];
}

/** Any request the engine accepts. */
export type BifrostRequest = ChatRequest | TextCompletionRequest | EmbeddingRequest;
