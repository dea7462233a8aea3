import type { AssistantMessage } from './message.js';
import type { ProviderName } from './provider.js';
import type { Usage } from './usage.js';

/** Why the model stopped, in OpenAI's words. */
export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call';

/** What the gateway adds to every answer: who answered and how long it took. */
export interface ExtraFields {
  /** The provider that produced this answer (a fallback's, when one answered). */
  provider: ProviderName;
  /** The model that produced this answer, without the provider prefix. */
  model: string;
  /** Milliseconds from dispatch to the provider until the answer was complete. */
  latency: number;
  /** How many times the request was retried against the provider before this answer. */
  retries?: number;
  /** Which fallback answered: absent for the primary, 1 for the first fallback. */
  fallback_index?: number;
  /** Options the provider could not honour; kept here rather than dropped silently. */
  warnings?: string[];
  /** The provider's own body, when `send_back_raw_response` is set for the provider. */
  raw_response?: unknown;
  /** The answer's cost in USD, set by governance when the model has a known price. */
  cost?: number;
  /** `unpriced` when governance knows no price for the model: the cost is unknown, never reported as 0. */
  cost_status?: 'unpriced';
}

/** A chat completion in OpenAI's shape. */
export interface ChatResponse {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: ChatChoice[];
  usage?: Usage;
  system_fingerprint?: string | null;
  service_tier?: string | null;
  extra_fields: ExtraFields;
}

/** One of the answers in a chat completion. */
export interface ChatChoice {
  index: number;
  message: AssistantMessage;
  finish_reason: FinishReason | null;
  logprobs?: unknown;
}

/** A legacy text completion in OpenAI's shape. */
export interface TextCompletionResponse {
  id: string;
  object: 'text_completion';
  created: number;
  model: string;
  choices: TextCompletionChoice[];
  usage?: Usage;
  system_fingerprint?: string | null;
  extra_fields: ExtraFields;
}

/** One of the answers in a text completion. */
export interface TextCompletionChoice {
  index: number;
  text: string;
  finish_reason: FinishReason | null;
  logprobs?: unknown;
}

/** Embeddings in OpenAI's shape; a vector is a base64 string when `encoding_format` was `base64`. */
export interface EmbeddingResponse {
  object: 'list';
  data: Embedding[];
  model: string;
  usage?: Pick<Usage, 'prompt_tokens' | 'total_tokens'>;
  extra_fields: ExtraFields;
}

/** One input's vector. */
export interface Embedding {
  object: 'embedding';
  index: number;
  embedding: number[] | string;
}

/** Any answer the engine returns. */
export type BifrostResponse = ChatResponse | TextCompletionResponse | EmbeddingResponse;

/** A model the gateway can route to, in OpenAI's `/v1/models` shape. */
export interface ModelInfo {
  /** `provider/model`. */
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}
