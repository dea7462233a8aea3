import { describe, expect, it } from 'vitest';
import { parseServerSentEvents, type ServerSentEvent } from './sse-parser.js';

const encoder = new TextEncoder();

async function parse(chunks: readonly (string | Uint8Array)[]): Promise<ServerSentEvent[]> {
  async function* body() {
    for (const chunk of chunks) yield typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
  }
  const events: ServerSentEvent[] = [];
  for await (const event of parseServerSentEvents(body())) events.push(event);
  return events;
}

/** A stream with every feature at once: CRLF, CR and LF endings, comments, names, multi-line and multi-byte data. */
const sample =
  ': keep-alive\r\n' +
  'data: {"content":"héllo 🌍"}\r\n\r\n' +
  'event: ping\n' +
  'data: first line\r\n' +
  'data: second line\n\n' +
  'id: 7\r' +
  'data:ünïcödé without space\r\r' +
  'data: [DONE]';
const sampleEvents: ServerSentEvent[] = [
  { event: undefined, data: '{"content":"héllo 🌍"}' },
  { event: 'ping', data: 'first line\nsecond line' },
  { event: undefined, data: 'ünïcödé without space' },
  { event: undefined, data: '[DONE]' },
];

describe('parseServerSentEvents', () => {
  it('parses a whole stream delivered at once', async () => {
    expect(await parse([sample])).toEqual(sampleEvents);
  });

  it('gives the same events however the bytes are split in two', async () => {
    const bytes = encoder.encode(sample);
    for (let split = 1; split < bytes.length; split++) {
      const events = await parse([bytes.subarray(0, split), bytes.subarray(split)]);
      expect({ split, events }).toEqual({ split, events: sampleEvents });
    }
  });

  it('gives the same events when every byte arrives alone', async () => {
    const bytes = encoder.encode(sample);
    const single = Array.from(bytes, (_, index) => bytes.subarray(index, index + 1));
    expect(await parse(single)).toEqual(sampleEvents);
  });

  it('joins a character whose UTF-8 bytes arrive in different chunks', async () => {
    const bytes = encoder.encode('data: 🌍\n\n');
    // The emoji occupies bytes 6 to 9; cut inside it twice.
    expect(await parse([bytes.subarray(0, 7), bytes.subarray(7, 9), bytes.subarray(9)])).toEqual([
      { event: undefined, data: '🌍' },
    ]);
  });

  it('reads a CR at the end of a chunk and an LF at the start of the next as one line ending', async () => {
    expect(await parse(['data: a\r', '\ndata: b\r\n\r\n'])).toEqual([{ event: undefined, data: 'a\nb' }]);
  });

  it('ends a line at a lone CR once the next byte shows it is not CRLF', async () => {
    expect(await parse(['data: a\r', '\rdata: b\r', '\r'])).toEqual([
      { event: undefined, data: 'a' },
      { event: undefined, data: 'b' },
    ]);
  });

  it('skips comments and blank lines that carry no data', async () => {
    expect(await parse([': ping\n\n', '\n\n:another\n\n'])).toEqual([]);
  });

  it('forgets the event name once its event is delivered', async () => {
    expect(await parse(['event: error\ndata: {}\n\ndata: next\n\n'])).toEqual([
      { event: 'error', data: '{}' },
      { event: undefined, data: 'next' },
    ]);
  });

  it('removes one space after the colon and keeps the rest', async () => {
    expect(await parse(['data:  two spaces\n\ndata\n\n'])).toEqual([
      { event: undefined, data: ' two spaces' },
      { event: undefined, data: '' },
    ]);
  });

  it('delivers a final event that has no trailing blank line', async () => {
    expect(await parse(['data: one\n\ndata: last'])).toEqual([
      { event: undefined, data: 'one' },
      { event: undefined, data: 'last' },
    ]);
    expect(await parse(['event: end\ndata: last\n'])).toEqual([{ event: 'end', data: 'last' }]);
  });

  it('delivers nothing for an empty body', async () => {
    expect(await parse([])).toEqual([]);
  });
});
