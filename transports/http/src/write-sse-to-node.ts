import type { ServerResponse } from 'node:http';
import { type ChatCompletionStream, GatewayError, rawChunkJson } from '@bifrost/core';
import type { ChatStreamChunk } from '@bifrost/schemas';

const doneEvent = 'data: [DONE]\n\n';

/**
 * Turns a chat stream into one API dialect's server-sent events. The gateway's own routes speak OpenAI's; the SDK
 * integrations bring encoders for Anthropic's and Google's event sequences, made per stream when they keep state.
 */
export interface SseEncoder {
  /** The events for one chunk; an empty string writes nothing. */
  chunk(chunk: ChatStreamChunk): string;
  /** The events that close a stream that ended well. */
  end(): string;
  /** The last event of a stream that failed after its first byte, when the status can no longer change. */
  error(error: GatewayError): string;
}

/**
 * OpenAI's framing: `data: {chunk}` events ending `data: [DONE]`, a failure as `data: {"error":…}`. A chunk an
 * OpenAI-format provider sent and nothing changed goes out as the text it came in, not serialised again.
 */
export const openAISseEncoder: SseEncoder = {
  chunk: (chunk) => `data: ${rawChunkJson(chunk) ?? JSON.stringify(chunk)}\n\n`,
  end: () => doneEvent,
  error: (error) => `data: ${JSON.stringify(error.toBifrostError())}\n\n`,
};

/** The headers of every SSE answer, as OpenAI sends them. */
export function sseHeaders(retries: number): Record<string, string> {
  return {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-bf-retries': String(retries),
  };
}

/**
 * Writes chat chunks straight to Node's response as server-sent events: `data: {chunk}` lines ending
 * `data: [DONE]`. Going around web streams saves their per-chunk promises, which cost more than the chunk.
 * Backpressure is kept: when the socket buffer is full, reading from the provider waits for `drain`. A client
 * that goes away stops the loop, which cancels the upstream request. A failure after the first byte goes out as
 * a final `data: {"error":…}` event, which the OpenAI SDKs raise as an error. Another dialect's `encoder` changes
 * the framing, not the flow.
 *
 * With `countBytes` it resolves to the body bytes written, for `onHttpRequest` plugins; otherwise to 0, so
 * that the count costs nothing when nobody reads it.
 */
export async function writeSseToNode(
  stream: ChatCompletionStream,
  outgoing: ServerResponse,
  countBytes = false,
  encoder: SseEncoder = openAISseEncoder,
): Promise<number> {
  // The headers go out with the first event: the engine has waited for the first chunk already, so sending them
  // apart would cost a write of their own and bring the first token no sooner.
  const headers = sseHeaders(stream.retries);
  // A client that sent `Connection: close` (or speaks HTTP/1.0) gets the connection closed after the stream, as
  // Node would do had we not named the header ourselves.
  if (!outgoing.shouldKeepAlive) headers.connection = 'close';
  outgoing.writeHead(200, headers);
  const batch = new EventBatch(outgoing);
  let bytes = 0;
  try {
    for await (const chunk of stream) {
      if (outgoing.destroyed) return bytes;
      const event = encoder.chunk(chunk);
      if (event === '') continue;
      if (countBytes) bytes += Buffer.byteLength(event);
      batch.add(event);
      const backedUp = batch.backedUp();
      if (backedUp) await backedUp;
    }
    if (!outgoing.destroyed) {
      const last = encoder.end();
      outgoing.end(batch.take() + last);
      if (countBytes) bytes += Buffer.byteLength(last);
    }
  } catch (error) {
    if (outgoing.destroyed) return bytes;
    const event = encoder.error(GatewayError.from(error));
    if (countBytes) bytes += Buffer.byteLength(event);
    outgoing.end(batch.take() + event);
  }
  return bytes;
}

/**
 * Gathers the events of one turn of the event loop and sends them in one write: the chunks of one network read
 * from the provider arrive together, and one system call each would cost more than the chunks themselves. The
 * events are joined here rather than by corking the socket, whose buffered writes Node 22 drops when the response
 * ends in the same turn.
 */
class EventBatch {
  private readonly outgoing: ServerResponse;
  private pending = '';
  private scheduled = false;
  /** Set when a write filled the socket's buffer; listening starts at once, so no `drain` can be missed. */
  private draining: Promise<void> | undefined;
  private readonly flush = (): void => {
    this.scheduled = false;
    const data = this.take();
    if (data === '' || this.outgoing.destroyed) return;
    if (!this.outgoing.write(data)) this.draining = drained(this.outgoing);
  };

  constructor(outgoing: ServerResponse) {
    this.outgoing = outgoing;
  }

  add(event: string): void {
    this.pending += event;
    if (this.scheduled) return;
    this.scheduled = true;
    // A tick queued from a promise job runs once the promise queue is empty: after every chunk already in hand.
    process.nextTick(this.flush);
  }

  /** The events not written yet, for the response's last write; the batch is left empty. */
  take(): string {
    const data = this.pending;
    this.pending = '';
    return data;
  }

  /** Resolves when the socket has room again after a write that filled it; undefined when it has room now. */
  backedUp(): Promise<void> | undefined {
    const draining = this.draining;
    this.draining = undefined;
    return draining;
  }
}

function drained(outgoing: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      outgoing.off('drain', done);
      outgoing.off('close', done);
      resolve();
    };
    outgoing.on('drain', done);
    outgoing.on('close', done);
  });
}
