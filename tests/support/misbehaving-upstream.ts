import type { ServerResponse } from 'node:http';
import {
  type LoopbackServer,
  type RecordedRequest,
  resetConnection,
  startLoopbackServer,
  writeJson,
} from './loopback-server.js';
import { defaultOpenAIReply } from './openai-default-replies.js';
import { formatSseEvent, SSE_DONE } from './sse.js';

/** One way an OpenAI-compatible upstream can break; requests without a scripted fault get a correct answer. */
export type UpstreamFault =
  /** Reset the connection before any byte of the answer. */
  | { kind: 'reset-before-headers' }
  /** Send the headers (with the full `Content-Length`) and half of a chat completion, then reset. */
  | { kind: 'reset-mid-body' }
  /** Send the headers and the first two stream events, then reset the connection. */
  | { kind: 'reset-mid-stream' }
  /** Send the stream events without any `finish_reason` and end cleanly, without `data: [DONE]`. */
  | { kind: 'truncated-stream' }
  /** Send every stream event but cut the last one (the one with `finish_reason`) mid-line, then end. */
  | { kind: 'cut-final-event' }
  /** A 200 JSON answer whose body is not JSON. */
  | { kind: 'malformed-json' }
  /** A 200 stream whose second event carries a payload that is not JSON. */
  | { kind: 'malformed-event' }
  /** A 200 answer whose body is an OpenAI error object. */
  | { kind: 'error-in-200'; message: string }
  /** A valid chat completion whose assistant text is `bytes` long. */
  | { kind: 'huge'; bytes: number }
  /**
   * A valid stream of `events` content events of `eventBytes` characters each, written as fast as the reader
   * takes them (it waits for `drain`), so a slow reader holds the upstream back instead of the fake's memory.
   */
  | { kind: 'large-stream'; events: number; eventBytes: number }
  /** Any status, headers and body, written verbatim. */
  | { kind: 'raw'; status: number; headers?: Record<string, string>; body: string };

/** A loopback OpenAI-compatible upstream that breaks on request. */
export interface MisbehavingUpstream extends LoopbackServer {
  /** Faults used one per request, in order; requests beyond them are answered correctly. */
  enqueue(...faults: UpstreamFault[]): void;
  /** Bytes of `large-stream` events written so far, for the slow-reader test. */
  largeStreamBytesWritten(): number;
}

/**
 * Starts a loopback fake of OpenAI's chat completions endpoint scripted to misbehave, built on
 * {@link startLoopbackServer}. Correct answers come from `defaultOpenAIReply`, so a request after a fault can
 * show that the gateway still works.
 * @example
 * const upstream = await startMisbehavingUpstream();
 * upstream.enqueue({ kind: 'reset-mid-body' });
 */
export async function startMisbehavingUpstream(): Promise<MisbehavingUpstream> {
  const queue: UpstreamFault[] = [];
  let largeStreamBytes = 0;

  const server = await startLoopbackServer(async (request, response) => {
    const fault = queue.shift();
    if (fault?.kind === 'large-stream') {
      await writeLargeStream(request, response, fault, (bytes) => {
        largeStreamBytes += bytes;
      });
      return;
    }
    await answer(request, response, fault);
  });

  return {
    ...server,
    enqueue: (...faults) => void queue.push(...faults),
    largeStreamBytesWritten: () => largeStreamBytes,
    reset: () => {
      server.reset();
      queue.length = 0;
      largeStreamBytes = 0;
    },
  };
}

async function answer(
  request: RecordedRequest,
  response: ServerResponse,
  fault: Exclude<UpstreamFault, { kind: 'large-stream' }> | undefined,
): Promise<void> {
  switch (fault?.kind) {
    case undefined:
      return writeCorrectAnswer(request, response);
    case 'reset-before-headers':
      resetConnection(response);
      return;
    case 'reset-mid-body': {
      const body = JSON.stringify(completionBody(request, 'a complete answer that never arrives'));
      response.writeHead(200, {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
      });
      // Flushed before the reset, so the gateway has the half it was promised.
      response.flushHeaders();
      await writeAndWait(response, body.slice(0, Math.floor(body.length / 2)));
      resetConnection(response);
      return;
    }
    case 'reset-mid-stream': {
      startStream(response);
      const events = streamEvents(request);
      await writeAndWait(response, formatSseEvent(events[0]) + formatSseEvent(events[1]));
      resetConnection(response);
      return;
    }
    case 'truncated-stream': {
      startStream(response);
      const unfinished = streamEvents(request).filter((event) => finishReasonOf(event) == null);
      response.end(unfinished.map((event) => formatSseEvent(event)).join(''));
      return;
    }
    case 'cut-final-event': {
      startStream(response);
      const events = streamEvents(request).map((event) => formatSseEvent(event));
      const last = events.pop()!;
      response.end(events.join('') + last.slice(0, Math.floor(last.length / 2)));
      return;
    }
    case 'malformed-json':
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"id": "chatcmpl-broken", "object": "chat.completion", "choices": [{"index": 0, ');
      return;
    case 'malformed-event': {
      startStream(response);
      const [first] = streamEvents(request);
      response.end(`${formatSseEvent(first)}data: {"choices": [{"delta": {"content": "oops"\n\n${SSE_DONE}`);
      return;
    }
    case 'error-in-200':
      writeJson(response, 200, {
        error: { message: fault.message, type: 'server_error', param: null, code: 'upstream_failure' },
      });
      return;
    case 'huge': {
      const text = 'x'.repeat(fault.bytes);
      writeJson(response, 200, completionBody(request, text));
      return;
    }
    case 'raw':
      response.writeHead(fault.status, fault.headers);
      response.end(fault.body);
      return;
  }
}

function writeCorrectAnswer(request: RecordedRequest, response: ServerResponse): void {
  const reply = defaultOpenAIReply(request);
  if (reply.kind === 'sse') {
    startStream(response);
    response.end(reply.chunks.map((chunk) => formatSseEvent(chunk)).join('') + SSE_DONE);
  } else if (reply.kind === 'json') {
    writeJson(response, reply.status ?? 200, reply.body);
  } else {
    writeJson(response, reply.kind === 'error' ? reply.status : 500, { error: { message: reply.kind } });
  }
}

async function writeLargeStream(
  request: RecordedRequest,
  response: ServerResponse,
  fault: { events: number; eventBytes: number },
  onWritten: (bytes: number) => void,
): Promise<void> {
  startStream(response);
  const [first] = streamEvents(request) as Record<string, unknown>[];
  const event = formatSseEvent({
    ...first,
    choices: [{ index: 0, delta: { content: 'y'.repeat(fault.eventBytes) }, finish_reason: null }],
  });
  const bytes = Buffer.byteLength(event);
  for (let index = 0; index < fault.events; index++) {
    if (response.destroyed) return;
    const flushed = response.write(event);
    onWritten(bytes);
    if (!flushed) await drainedOrClosed(response);
  }
  response.end(
    formatSseEvent({ ...first, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }) + SSE_DONE,
  );
}

function startStream(response: ServerResponse): void {
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
  });
  response.flushHeaders();
}

function drainedOrClosed(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}

function writeAndWait(response: ServerResponse, text: string): Promise<void> {
  return new Promise((resolve) => response.write(text, () => resolve()));
}

/** The correct stream for a request, as the default fake would send it (role, words, finish_reason). */
function streamEvents(request: RecordedRequest): unknown[] {
  const body = { ...(request.body as Record<string, unknown>), stream: true };
  const reply = defaultOpenAIReply({ ...request, body, rawBody: JSON.stringify(body) });
  if (reply.kind !== 'sse') throw new Error(`expected a stream reply, got ${reply.kind}`);
  return reply.chunks;
}

function completionBody(request: RecordedRequest, content: string): Record<string, unknown> {
  const body = { ...(request.body as Record<string, unknown>), stream: false };
  const reply = defaultOpenAIReply({ ...request, body, rawBody: JSON.stringify(body) });
  if (reply.kind !== 'json') throw new Error(`expected a JSON reply, got ${reply.kind}`);
  const completion = reply.body as { choices: Record<string, unknown>[] };
  return {
    ...completion,
    choices: [{ ...completion.choices[0], message: { role: 'assistant', content, refusal: null } }],
  };
}

function finishReasonOf(event: unknown): unknown {
  const choices = (event as { choices?: { finish_reason?: unknown }[] }).choices;
  return choices?.[0]?.finish_reason;
}
