import type { FinishReason } from '@bifrost/schemas';

/**
 * Maps Ollama's `done_reason` to OpenAI's `finish_reason`. Ollama reports `stop` even when the model called
 * tools, so calls seen in the answer turn it into `tool_calls`; `length` is a token limit; `load` and `unload`
 * (an empty request that only moved the model in or out of memory) read as `stop`.
 */
export function mapOllamaFinishReason(doneReason: string | undefined, calledTools: boolean): FinishReason {
  if (doneReason === 'length') return 'length';
  return calledTools ? 'tool_calls' : 'stop';
}
