/** One server-sent event: its `event:` name, if any, and its `data:` lines joined by newlines. */
export interface ServerSentEvent {
  event: string | undefined;
  data: string;
}

const noEvents: readonly ServerSentEvent[] = Object.freeze([]);

/**
 * Decodes server-sent events from bytes as they arrive, synchronously: `feed` each piece of the body, then
 * `finish`. Events may be split across pieces anywhere, even inside a UTF-8 character. Lines end in LF, CRLF or
 * CR; comment lines are skipped. Being synchronous, a stream reader handles every event of one network read in
 * one step, rather than awaiting each through a generator of its own.
 */
export class ServerSentEventDecoder {
  private readonly decoder = new TextDecoder();
  private buffer = '';
  private event: string | undefined;
  private data: string | undefined;

  /** The events completed by this piece of the body, in order; often none, often several. */
  feed(bytes: Uint8Array): readonly ServerSentEvent[] {
    const buffer = this.buffer + this.decoder.decode(bytes, { stream: true });
    let events: ServerSentEvent[] | undefined;
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
        if (this.data !== undefined) {
          events ??= [];
          events.push({ event: this.event, data: this.data });
        }
        this.event = undefined;
        this.data = undefined;
        continue;
      }
      this.readField(line);
    }
    this.buffer = start === 0 ? buffer : buffer.slice(start);
    return events ?? noEvents;
  }

  /** The last event of a body that ended without a blank line after it, if any. */
  finish(): readonly ServerSentEvent[] {
    const rest = this.buffer + this.decoder.decode();
    this.buffer = '';
    if (rest !== '') {
      for (const line of rest.split(/\r\n|\r|\n/)) {
        if (line.startsWith('data:') || line.startsWith('event:')) this.readField(line);
      }
    }
    const data = this.data;
    this.data = undefined;
    return data === undefined ? noEvents : [{ event: this.event, data }];
  }

  private readField(line: string): void {
    const colon = line.indexOf(':');
    if (colon === 0) return;
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') this.data = this.data === undefined ? value : `${this.data}\n${value}`;
    else if (field === 'event') this.event = value;
  }
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
