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
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) throw tooLarge(maxBytes);
  const text = incoming ? await readIncoming(incoming, maxBytes) : await readWebBody(request, maxBytes);
  if (text === '') throw invalidRequest('request body is empty; expected a JSON object');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw invalidRequest(`request body is not valid JSON (${(error as Error).message})`);
  }
}

async function readIncoming(incoming: IncomingMessage, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Not destroyed on overflow: Node then discards the rest of the body after the 413, as it does for a body nobody
  // read, and the keep-alive connection goes on to the next request instead of hanging.
  for await (const chunk of incoming.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, size).toString('utf8');
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
