import { type ServerSentEvent, ServerSentEventDecoder } from './server-sent-event-decoder.js';

export type { ServerSentEvent } from './server-sent-event-decoder.js';

/**
 * Parses a byte stream of server-sent events incrementally, as bytes arrive: events may be split across
 * chunks anywhere, even inside a UTF-8 character. Lines end in LF, CRLF or CR; comment lines are skipped.
 */
export async function* parseServerSentEvents(
  body: AsyncIterable<Uint8Array>,
): AsyncGenerator<ServerSentEvent> {
  const decoder = new ServerSentEventDecoder();
  for await (const bytes of body) yield* decoder.feed(bytes);
  yield* decoder.finish();
}
