import type { IncomingMessage } from 'node:http';
import { GatewayError } from '@bifrost/core';
import { invalidRequest } from '../error-response.js';

/**
 * Reads and parses a JSON request body, refusing with 413 as soon as it is known to exceed the limit: from
 * `Content-Length` before reading anything, or while reading when the length is not declared.
 */
export async function readJsonBody(
  request: Request,
  incoming: IncomingMessage | undefined,
  maxBytes: number,
): Promise<unknown> {
  // On Node, read the raw header: touching `request.headers` would build a Headers object for nothing.
  const declared = incoming ? incoming.headers['content-length'] : request.headers.get('content-length');
  if (declared != null && Number(declared) > maxBytes) throw tooLarge(maxBytes);
  const text = incoming ? await readIncoming(incoming, maxBytes) : await readWebBody(request, maxBytes);
  if (text === '') throw invalidRequest('request body is empty; expected a JSON object');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw invalidRequest(`request body is not valid JSON (${(error as Error).message})`);
  }
}

/**
 * Collects a Node request body with plain events: cheaper than an async iterator on every request. On overflow
 * the stream is not destroyed: Node discards the rest of the body after the 413, as for a body nobody read, and
 * the keep-alive connection goes on to the next request instead of hanging.
 */
function readIncoming(incoming: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        incoming.resume();
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(
        chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, size).toString('utf8'),
      );
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
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

async function readWebBody(request: Request, maxBytes: number): Promise<string> {
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
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
