/** Token counts, normalised to OpenAI's names whatever the provider reported. */
export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: {
    /** Prompt tokens read from the provider's cache. */
    cached_tokens?: number;
    /** Prompt tokens written to the provider's cache. */
    cache_write_tokens?: number;
    audio_tokens?: number;
  };
  completion_tokens_details?: {
    reasoning_tokens?: number;
    audio_tokens?: number;
    accepted_prediction_tokens?: number;
    rejected_prediction_tokens?: number;
  };
}
