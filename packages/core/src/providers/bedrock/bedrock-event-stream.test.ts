import { describe, expect, it } from 'vitest';
import { concatFrames, encodeEvent, encodeException } from './__fixtures__/encode-event-stream.js';
import { type FixtureEvent, readBedrockFixture } from './__fixtures__/read-bedrock-fixture.js';
import { decodeEventStream, type EventStreamMessage } from './bedrock-event-stream.js';

async function* chunksOf(...chunks: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield chunk;
}

async function decodeAll(source: AsyncIterable<Uint8Array>): Promise<EventStreamMessage[]> {
  const messages: EventStreamMessage[] = [];
  for await (const message of decodeEventStream(source)) messages.push(message);
  return messages;
}

function summary(messages: EventStreamMessage[]) {
  return messages.map((message) => ({
    type: message.messageType,
    event: message.eventType,
    payload: JSON.parse(new TextDecoder().decode(message.body)),
  }));
}

const events = readBedrockFixture<FixtureEvent[]>('converse-stream-events');
const expected = events.map((event) => ({ type: 'event', event: event.event, payload: event.payload }));

describe('decodeEventStream', () => {
  it('decodes back-to-back messages from one chunk', async () => {
    const bytes = concatFrames(events.map(encodeEvent));
    expect(summary(await decodeAll(chunksOf(bytes)))).toEqual(expected);
  });

  it('decodes the same messages when the bytes are split at every offset', async () => {
    const bytes = concatFrames(events.map(encodeEvent));
    for (let cut = 1; cut < bytes.byteLength; cut++) {
      const messages = await decodeAll(chunksOf(bytes.subarray(0, cut), bytes.subarray(cut)));
      expect(summary(messages)).toEqual(expected);
    }
  });

  it('decodes a stream delivered one byte at a time', async () => {
    const bytes = concatFrames(events.map(encodeEvent));
    const single = Array.from(bytes, (byte) => Uint8Array.of(byte));
    expect(summary(await decodeAll(chunksOf(...single)))).toEqual(expected);
  });

  it('names exception messages by their :exception-type', async () => {
    const messages = await decodeAll(chunksOf(encodeException('throttlingException', 'slow down')));
    expect(summary(messages)).toEqual([
      { type: 'exception', event: 'throttlingException', payload: { message: 'slow down' } },
    ]);
  });

  it('reports a stream that ends inside a message as truncated', async () => {
    const frame = encodeEvent(events[0]!);
    await expect(decodeAll(chunksOf(frame.subarray(0, frame.byteLength - 3)))).rejects.toMatchObject({
      reason: 'truncated',
    });
    await expect(decodeAll(chunksOf(frame.subarray(0, 2)))).rejects.toMatchObject({ reason: 'truncated' });
  });

  it('reports a message whose checksum does not match as malformed', async () => {
    const frame = encodeEvent(events[1]!).slice();
    frame[frame.byteLength - 6]! ^= 0xff; // a payload byte: the message CRC no longer matches
    await expect(decodeAll(chunksOf(frame))).rejects.toMatchObject({ reason: 'malformed' });
  });

  it('reports a prelude whose checksum does not match as malformed', async () => {
    const frame = encodeEvent(events[0]!).slice();
    frame[5]! ^= 0x01; // headers length: the prelude CRC no longer matches
    await expect(decodeAll(chunksOf(frame))).rejects.toMatchObject({ reason: 'malformed' });
  });

  it('reports an impossible message length as malformed', async () => {
    await expect(decodeAll(chunksOf(Uint8Array.of(0, 0, 0, 4, 0, 0, 0, 0)))).rejects.toMatchObject({
      reason: 'malformed',
    });
  });
});
