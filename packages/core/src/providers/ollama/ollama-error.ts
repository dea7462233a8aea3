import { errorReaderFor } from '../kit/error-reader-for.js';
import type { ProviderErrorBody } from '../kit/upstream-error.js';

/**
 * Turns a non-2xx Ollama answer (`{"error": "model 'x' not found"}`) into a GatewayError that keeps the status,
 * the message and `retry-after`, with the key redacted (a proxy in front of Ollama may check one).
 */
export const ollamaErrorFromResponse = errorReaderFor(ollamaErrorBodyFromValue);

/** Reads `{"error": …}` from an already-parsed value; `undefined` when it carries none. */
export function ollamaErrorBodyFromValue(value: unknown): ProviderErrorBody | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { error } = value as { error?: unknown };
  if (typeof error === 'string') return { message: error };
  // Proxies in front of Ollama sometimes answer in OpenAI's envelope.
  if (typeof error === 'object' && error !== null) {
    const { message, type } = error as { message?: unknown; type?: unknown };
    return {
      message: typeof message === 'string' ? message : JSON.stringify(error),
      type: typeof type === 'string' ? type : undefined,
    };
  }
  return undefined;
}
