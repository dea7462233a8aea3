import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError } from '@bifrost/core';
import { invalidRequest } from '../error-response.js';
import type { RequestBodyBudget } from './request-body-budget.js';

/** Where a body's bytes count against the gateway-wide cap, and for how long. */
export interface BodyAccounting {
  budget: RequestBodyBudget;
  /**
   * The answer being written: the bytes stay counted until it is done, since the parsed body lives as long as
   * the request. Without it they are given back once the body is parsed.
   */
  outgoing?: ServerResponse;
}

/**
 * Reads and parses a JSON request body, refusing with 413 as soon as it is known to exceed the limit: from
 * `Content-Length` before reading anything, or while reading when the length is not declared. With `accounting`,
 * a body that does not fit the gateway-wide budget is refused with 429 the same way, before it is buffered.
 */
export async function readJsonBody(
  request: Request,
  incoming: IncomingMessage | undefined,
  maxBytes: number,
  accounting?: BodyAccounting,
): Promise<unknown> {
  // On Node, read the raw header: touching `request.headers` would build a Headers object for nothing.
  const header = incoming ? incoming.headers['content-length'] : request.headers.get('content-length');
  const declared = header == null || !/^\d+$/.test(header) ? undefined : Number(header);
  if (declared !== undefined && declared > maxBytes) throw tooLarge(maxBytes);
  const budget = accounting?.budget;
  let held = 0;
  const hold = (bytes: number) => {
    budget?.reserve(bytes);
    held += bytes;
  };
  const release = () => {
    budget?.release(held);
    held = 0;
  };
  let body: unknown;
  try {
    // A declared length is taken whole up front, so a refusal comes before any byte is read.
    if (declared !== undefined) hold(declared);
    const onChunk = declared === undefined && budget ? hold : undefined;
    const text = incoming
      ? await readIncoming(incoming, maxBytes, declared, onChunk)
      : await readWebBody(request, maxBytes, onChunk);
    if (text === '') throw invalidRequest('request body is empty; expected a JSON object');
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw invalidRequest(`request body is not valid JSON (${(error as Error).message})`);
    }
  } catch (error) {
    release();
    throw error;
  }
  const outgoing = accounting?.outgoing;
  if (outgoing && !outgoing.destroyed && !outgoing.writableFinished) outgoing.once('close', release);
  else release();
  return body;
}

/**
 * Collects a Node request body with plain events: cheaper than an async iterator on every request. A declared
 * length is read into one buffer of that size, so the body is not held twice (chunks plus their concatenation)
 * at the peak. On overflow the stream is not destroyed: Node discards the rest of the body after the 413, as for
 * a body nobody read, and the keep-alive connection goes on to the next request instead of hanging.
 */
function readIncoming(
  incoming: IncomingMessage,
  maxBytes: number,
  declared: number | undefined,
  onChunk: ((bytes: number) => void) | undefined,
): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    // Node's parser never passes on more bytes than Content-Length says, so the buffer cannot overflow.
    const whole = declared !== undefined && declared > 0 ? Buffer.allocUnsafeSlow(declared) : undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    const fail = (error: unknown) => {
      cleanup();
      incoming.resume();
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      if (size + chunk.length > maxBytes) return fail(tooLarge(maxBytes));
      try {
        onChunk?.(chunk.length);
      } catch (error) {
        return fail(error);
      }
      if (whole) chunk.copy(whole, size);
      else chunks.push(chunk);
      size += chunk.length;
    };
    const onEnd = () => {
      cleanup();
      if (whole) resolve(whole.toString('utf8', 0, size));
      else
        resolve(
          chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, size).toString('utf8'),
        );
    };
    const onError = (error: Error) => {
      cleanup();
      // A client that goes away mid-upload is not the gateway's failure: no error line for each one.
      reject(
        new GatewayError('cancelled', 'the client closed the connection before sending the whole body', {
          cause: error,
        }),
      );
    };
    const cleanup = () => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onError);
    };
    if (incoming.readableEnded) {
      resolve('');
      return;
    }
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onError);
  });
}

async function readWebBody(
  request: Request,
  maxBytes: number,
  onChunk: ((bytes: number) => void) | undefined,
): Promise<string> {
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    try {
      if (size + value.byteLength > maxBytes) throw tooLarge(maxBytes);
      onChunk?.(value.byteLength);
    } catch (error) {
      await reader.cancel();
      throw error;
    }
    size += value.byteLength;
    chunks.push(value);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

function tooLarge(maxBytes: number): GatewayError {
  // Rounding to whole megabytes would call a 0.25 MB limit "0 MB"; small limits read better in bytes.
  const mebibytes = maxBytes / 1024 / 1024;
  const limit = mebibytes >= 1 ? `${Number(mebibytes.toFixed(2))} MB` : `${Math.floor(maxBytes)}-byte`;
  return new GatewayError(
    'payload_too_large',
    `request body exceeds the ${limit} limit (client.max_request_body_size_mb)`,
  );
}
