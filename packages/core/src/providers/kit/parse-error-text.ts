import type { ProviderErrorBody } from './upstream-error.js';

/** Upper bound on how much of an error body is read; error bodies are small, a huge one is not an error message. */
export const maxErrorBodyBytes = 64 * 1024;

/** Parses an error body as JSON, bounded; text that is not JSON becomes the message itself. */
export function parseErrorText(
  text: string,
  fromValue: (value: unknown) => ProviderErrorBody | undefined,
): ProviderErrorBody | undefined {
  const bounded = text.length > maxErrorBodyBytes ? text.slice(0, maxErrorBodyBytes) : text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(bounded);
  } catch {
    const trimmed = bounded.trim();
    return trimmed === '' ? undefined : { message: trimmed.slice(0, 500) };
  }
  return fromValue(parsed);
}
