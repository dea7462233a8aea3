import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/** Options for {@link writeSseStream}. */
export interface SseStreamOptions {
  /**
   * Pause between two events, so a test can abort mid-stream or observe time to first byte.
   * @default 0
   */
  intervalMs?: number;
  /**
   * Whether to close the stream with OpenAI's `data: [DONE]` sentinel.
   * @default true
   */
  done?: boolean;
  /**
   * Close the connection after the chunks instead of ending the response, as an upstream that dies mid-stream
   * does; `done` is then ignored.
   * @default false
   */
  dropConnection?: boolean;
}

/** The sentinel OpenAI sends after the last chunk of every stream. */
export const SSE_DONE = 'data: [DONE]\n\n';

/**
 * Formats one data-only server-sent event the way OpenAI frames stream chunks.
 *
 * Objects are JSON-encoded; a string is sent verbatim, so a test can inject a malformed event.
 */
export function formatSseEvent(data: unknown): string {
  return `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
}

/**
 * Writes `chunks` as server-sent events on a response whose headers are already set, then ends it.
 *
 * Resolves `false` without ending the response when the client went away mid-stream or `dropConnection` is set.
 */
export async function writeSseStream(
  response: ServerResponse,
  chunks: readonly unknown[],
  options: SseStreamOptions = {},
): Promise<boolean> {
  const { intervalMs = 0, done = true, dropConnection = false } = options;
  for (const [index, chunk] of chunks.entries()) {
    if (index > 0 && intervalMs > 0) await sleep(intervalMs);
    if (response.destroyed) return false;
    response.write(formatSseEvent(chunk));
  }
  if (response.destroyed) return false;
  if (dropConnection) {
    // Ending the socket rather than the response flushes the chunks, then closes with the stream unfinished.
    response.socket?.end();
    return false;
  }
  response.end(done ? SSE_DONE : undefined);
  return true;
}
