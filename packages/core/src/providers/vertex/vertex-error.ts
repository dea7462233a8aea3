import type { ProviderName } from '@bifrost/schemas';
import type { GatewayError } from '../../errors/gateway-error.js';
import { anthropicErrorFromResponse } from '../anthropic/anthropic-error.js';
import { geminiErrorFromResponse } from '../gemini/gemini-error.js';

/**
 * Reads a non-2xx Vertex AI answer. Vertex itself (auth, quota, routing) answers with Google's
 * `{error:{code, message, status}}`; a Claude model's own failure comes in Anthropic's `{type:'error', error}`.
 */
export function vertexErrorFromResponse(
  status: number,
  headers: Record<string, string | string[] | undefined>,
  bodyText: string,
  context: { provider: ProviderName; model: string },
  secret?: string,
): GatewayError {
  // A cheap look at the envelope's first key tells the two dialects apart without parsing twice.
  const anthropic = /^\s*\{\s*"type"\s*:\s*"error"/.test(bodyText);
  return anthropic
    ? anthropicErrorFromResponse(status, headers, bodyText, context, secret)
    : geminiErrorFromResponse(status, headers, bodyText, context, secret);
}
