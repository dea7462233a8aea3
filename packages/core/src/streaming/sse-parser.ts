/** One server-sent event: its `event:` name, if any, and its `data:` lines joined by newlines. */
export interface ServerSentEvent {
  event: string | undefined;
  data: string;
}

/**
 * Parses a byte stream of server-sent events incrementally, as bytes arrive: events may be split across
 * chunks anywhere, even inside a UTF-8 character. Lines end in LF, CRLF or CR; comment lines are skipped.
 */
export async function* parseServerSentEvents(
  body: AsyncIterable<Uint8Array>,
): AsyncGenerator<ServerSentEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  let event: string | undefined;
  let data: string | undefined;
  for await (const bytes of body) {
    buffer += decoder.decode(bytes, { stream: true });
    let start = 0;
    for (;;) {
      const newline = findLineEnd(buffer, start);
      if (newline === -1) break;
      const line = buffer.slice(start, newline);
      // A CR at the very end of the buffer may be the first half of a CRLF still in flight.
      start =
        buffer.charCodeAt(newline) === 13 && buffer.charCodeAt(newline + 1) === 10
          ? newline + 2
          : newline + 1;
      if (line === '') {
        if (data !== undefined) yield { event, data };
        event = undefined;
        data = undefined;
        continue;
      }
      const colon = line.indexOf(':');
      if (colon === 0) continue;
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? '' : line.slice(colon + 1);
      if (value.charCodeAt(0) === 32) value = value.slice(1);
      if (field === 'data') data = data === undefined ? value : `${data}\n${value}`;
      else if (field === 'event') event = value;
    }
    buffer = start === 0 ? buffer : buffer.slice(start);
  }
  buffer += decoder.decode();
  // A stream that ends without a blank line still delivers its last event.
  if (buffer !== '') {
    for (const line of buffer.split(/\r\n|\r|\n/)) {
      if (line.startsWith('data:')) {
        const value = line.slice(5);
        const trimmed = value.charCodeAt(0) === 32 ? value.slice(1) : value;
        data = data === undefined ? trimmed : `${data}\n${trimmed}`;
      } else if (line.startsWith('event:')) event = line.slice(6).trim();
    }
  }
  if (data !== undefined) yield { event, data };
}

function findLineEnd(buffer: string, from: number): number {
  for (let index = from; index < buffer.length; index++) {
    const code = buffer.charCodeAt(index);
    if (code === 10) return index;
    if (code === 13) {
      // Wait for the next byte to tell a lone CR from a CRLF.
      if (index + 1 === buffer.length) return -1;
      return index;
    }
  }
  return -1;
}
