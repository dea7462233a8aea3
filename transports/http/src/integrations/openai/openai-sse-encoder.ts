import type { SseEncoder } from '../../write-sse-to-node.js';
import { openAIErrorBody } from './openai-error-body.js';

/** OpenAI's framing, with a mid-stream failure in OpenAI's own error envelope. */
export const openAIIntegrationSseEncoder: SseEncoder = {
  chunk: (chunk) => `data: ${JSON.stringify(chunk)}\n\n`,
  end: () => 'data: [DONE]\n\n',
  error: (error) => `data: ${JSON.stringify(openAIErrorBody(error))}\n\n`,
};
