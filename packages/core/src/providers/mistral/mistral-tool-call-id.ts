import { createHash } from 'node:crypto';

const validToolCallId = /^[a-zA-Z0-9]{9}$/;
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Maps any tool call id to one Mistral accepts, the same way every time, so an assistant's `tool_calls[].id` and
 * the tool message answering it (`tool_call_id`) still match after the rewrite. Ids from other providers
 * (`call_…`, `toolu_…`) are rejected by Mistral with a 400 otherwise.
 */
export function toMistralToolCallId(id: string): string {
  if (validToolCallId.test(id)) return id;
  const digest = createHash('sha256').update(id).digest();
  let mapped = '';
  for (let index = 0; index < 9; index++) mapped += alphabet[digest[index]! % alphabet.length];
  return mapped;
}
