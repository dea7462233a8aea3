import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

/** One decoded event-stream message: its string headers and raw payload. */
export interface EventStreamMessage {
  /** `:message-type` (`event`, `exception` or `error`). */
  messageType: string;
  /** `:event-type`, `:exception-type` or `:error-code`, whichever the message type carries. */
  eventType: string;
  headers: Record<string, unknown>;
  body: Uint8Array;
}

/** Why the byte stream could not be read as event-stream messages. */
export class EventStreamFramingError extends Error {
  /** `truncated`: the body ended inside a message; `malformed`: a length or checksum is wrong. */
  readonly reason: 'truncated' | 'malformed';
  constructor(reason: 'truncated' | 'malformed', message: string) {
    super(message);
    this.name = 'EventStreamFramingError';
    this.reason = reason;
  }
}

/** Prelude (total length, headers length, prelude CRC) plus the message CRC. */
const framingBytes = 16;
/** AWS caps event-stream messages at 16 MiB; a larger length means the framing is lost. */
const maxMessageBytes = 16 * 1024 * 1024;

/** Stateless for `decode`, so one codec serves every stream. */
const codec = new EventStreamCodec(toUtf8, fromUtf8);

/**
 * Decodes AWS event-stream binary framing incrementally: bytes are buffered only until a whole message has
 * arrived (its length is the first four bytes), then the codec checks both CRC32s and parses the headers.
 * Messages may be split across chunks at any byte.
 */
export async function* decodeEventStream(
  body: AsyncIterable<Uint8Array>,
): AsyncGenerator<EventStreamMessage> {
  let pending: Uint8Array | undefined;
  for await (const chunk of body) {
    let bytes = chunk;
    if (pending !== undefined) {
      const joined = new Uint8Array(pending.byteLength + chunk.byteLength);
      joined.set(pending, 0);
      joined.set(chunk, pending.byteLength);
      bytes = joined;
      pending = undefined;
    }
    let offset = 0;
    while (bytes.byteLength - offset >= 4) {
      const view = new DataView(bytes.buffer, bytes.byteOffset + offset, 4);
      const length = view.getUint32(0, false);
      if (length < framingBytes || length > maxMessageBytes) {
        throw new EventStreamFramingError('malformed', `an event-stream message claims ${length} bytes`);
      }
      if (bytes.byteLength - offset < length) break;
      yield decodeMessage(bytes.subarray(offset, offset + length));
      offset += length;
    }
    // Copied: the remainder is small, and keeping a view would pin the whole chunk.
    if (offset < bytes.byteLength) pending = bytes.slice(offset);
  }
  if (pending !== undefined) {
    throw new EventStreamFramingError('truncated', 'the event stream ended inside a message');
  }
}

function decodeMessage(frame: Uint8Array): EventStreamMessage {
  let decoded: ReturnType<EventStreamCodec['decode']>;
  try {
    decoded = codec.decode(frame);
  } catch (error) {
    throw new EventStreamFramingError(
      'malformed',
      `an event-stream message is corrupt: ${(error as Error).message}`,
    );
  }
  const headers: Record<string, unknown> = {};
  for (const [name, header] of Object.entries(decoded.headers)) headers[name] = header.value;
  const messageType = stringHeader(headers, ':message-type') ?? 'event';
  const eventType =
    messageType === 'exception'
      ? stringHeader(headers, ':exception-type')
      : messageType === 'error'
        ? stringHeader(headers, ':error-code')
        : stringHeader(headers, ':event-type');
  return { messageType, eventType: eventType ?? '', headers, body: decoded.body };
}

function stringHeader(headers: Record<string, unknown>, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value : undefined;
}
