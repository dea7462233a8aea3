import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type LoopbackServer,
  type RecordedRequest,
  startLoopbackServer,
  writeJson,
} from './loopback-server.js';

const fixturesDirectory = new URL('../../packages/core/src/providers/bedrock/__fixtures__/', import.meta.url);

/** Reads one of Bedrock's documented examples from the provider's `__fixtures__`; a fresh copy each call. */
export function readBedrockFixture<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(new URL(`${name}.json`, fixturesDirectory), 'utf8')) as T;
}

/** One ConverseStream event, or an exception message in its place. */
export type BedrockStreamItem = { event: string; payload: unknown } | { exception: string; message: string };

/** What the fake does with one request. */
export type BedrockReply =
  | { kind: 'json'; status?: number; body: unknown; headers?: Record<string, string> }
  /** Bedrock's error: `x-amzn-errortype` header and `{"message": …}` body. */
  | { kind: 'error'; status: number; type: string; message: string; headers?: Record<string, string> }
  | {
      kind: 'stream';
      items: BedrockStreamItem[];
      /** Bytes per write, so messages straddle chunk boundaries. @default whole frames */
      chunkSize?: number;
      /** Bytes cut off the end, leaving a truncated frame. @default 0 */
      truncate?: number;
    }
  /** Accept the request and never answer. */
  | { kind: 'hang' };

/** Credentials the fake accepts, as IAM would. */
export interface BedrockUpstreamOptions {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** The region SigV4 scopes must name. */
  region: string;
  /** Bedrock API keys accepted as `Authorization: Bearer …`. */
  apiKeys?: string[];
}

/** A running fake of Bedrock Runtime (and `GET /foundation-models`) on 127.0.0.1. */
export interface BedrockUpstream {
  url: string;
  requests: RecordedRequest[];
  /** Replies consumed one per authenticated request, before the documented defaults. */
  enqueue(...replies: BedrockReply[]): void;
  /** Clears the recorded requests, the queue and the request-id counter. */
  reset(): void;
  close(): Promise<void>;
}

/**
 * Starts a loopback fake speaking Bedrock's wire format: it authenticates every request first (SigV4
 * recomputed here with node:crypto from the raw method, path, headers and body, independently of the signer
 * under test; or a Bedrock API key), then answers with the next queued reply or the documented example for
 * the operation: Converse JSON, ConverseStream event-stream frames, Titan/Cohere `InvokeModel`, model list.
 */
export async function startBedrockUpstream(options: BedrockUpstreamOptions): Promise<BedrockUpstream> {
  const queue: BedrockReply[] = [];
  let count = 0;
  const server: LoopbackServer = await startLoopbackServer(async (request, response, incoming) => {
    count += 1;
    const requestId = `bedrock-req-${count}`;
    const failure = authenticate(request, incoming, options);
    const reply = failure ?? queue.shift() ?? defaultReply(request);
    await writeReply(reply, response, requestId);
  });
  return {
    url: server.url,
    requests: server.requests,
    enqueue: (...replies) => queue.push(...replies),
    reset: () => {
      server.reset();
      queue.length = 0;
      count = 0;
    },
    close: () => server.close(),
  };
}

/** The documented example answer for each operation, chosen by path. */
function defaultReply(request: RecordedRequest): BedrockReply {
  const path = request.path;
  if (request.method === 'GET' && path.endsWith('/foundation-models')) {
    return { kind: 'json', body: readBedrockFixture('foundation-models') };
  }
  if (path.endsWith('/converse')) return { kind: 'json', body: readBedrockFixture('converse-response') };
  if (path.endsWith('/converse-stream')) {
    return { kind: 'stream', items: readBedrockFixture('converse-stream-events') };
  }
  if (path.endsWith('/invoke')) {
    const modelId = decodeURIComponent(path.split('/').at(-2) ?? '');
    if (modelId.includes('cohere.embed')) {
      return {
        kind: 'json',
        body: readBedrockFixture('cohere-embedding'),
        headers: { 'x-amzn-bedrock-input-token-count': '4' },
      };
    }
    return { kind: 'json', body: readBedrockFixture('titan-embedding') };
  }
  return {
    kind: 'error',
    status: 404,
    type: 'UnknownOperationException',
    message: `no operation at ${path}`,
  };
}

async function writeReply(reply: BedrockReply, response: ServerResponse, requestId: string): Promise<void> {
  const base = { 'x-amzn-requestid': requestId };
  switch (reply.kind) {
    case 'json':
      writeJson(response, reply.status ?? 200, reply.body, { ...base, ...reply.headers });
      return;
    case 'error':
      writeJson(
        response,
        reply.status,
        { message: reply.message },
        { ...base, 'x-amzn-errortype': reply.type, ...reply.headers },
      );
      return;
    case 'hang':
      return;
    case 'stream': {
      response.writeHead(200, { ...base, 'content-type': 'application/vnd.amazon.eventstream' });
      let bytes = Buffer.concat(reply.items.map(encodeStreamItem));
      if (reply.truncate) bytes = bytes.subarray(0, bytes.byteLength - reply.truncate);
      const size = reply.chunkSize ?? bytes.byteLength;
      for (let offset = 0; offset < bytes.byteLength; offset += size) {
        response.write(bytes.subarray(offset, offset + size));
        // Yield between writes so the pieces leave as separate TCP segments more often than not.
        await new Promise((resolve) => setImmediate(resolve));
      }
      response.end();
      return;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Authentication, as Bedrock does it.

const invalidSignature =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

function authenticate(
  request: RecordedRequest,
  incoming: IncomingMessage,
  options: BedrockUpstreamOptions,
): BedrockReply | undefined {
  const authorization = header(request, 'authorization');
  if (authorization === undefined) {
    return {
      kind: 'error',
      status: 403,
      type: 'MissingAuthenticationTokenException',
      message: 'Missing Authentication Token',
    };
  }
  if (authorization.startsWith('Bearer ')) {
    if (options.apiKeys?.includes(authorization.slice(7))) return undefined;
    return {
      kind: 'error',
      status: 403,
      type: 'UnrecognizedClientException',
      message: 'Invalid API Key format: Must start with pre-defined prefix',
    };
  }
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
      authorization,
    );
  if (!match)
    return {
      kind: 'error',
      status: 400,
      type: 'IncompleteSignatureException',
      message: 'Authorization header is malformed',
    };
  const [, accessKeyId, day, region, service, signedHeaders, signature] = match as unknown as string[];
  if (accessKeyId !== options.accessKeyId) {
    return {
      kind: 'error',
      status: 403,
      type: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    };
  }
  if (
    options.sessionToken !== undefined &&
    header(request, 'x-amz-security-token') !== options.sessionToken
  ) {
    return {
      kind: 'error',
      status: 403,
      type: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    };
  }
  const amzDate = header(request, 'x-amz-date') ?? '';
  const signed = signedHeaders!.split(';');
  if (
    region !== options.region ||
    service !== 'bedrock' ||
    !amzDate.startsWith(day!) ||
    !signed.includes('host')
  ) {
    return { kind: 'error', status: 403, type: 'InvalidSignatureException', message: invalidSignature };
  }
  const rawUrl = incoming.url ?? '/';
  const queryStart = rawUrl.indexOf('?');
  const rawPath = queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart);
  const canonicalRequest = [
    request.method,
    canonicalUri(rawPath),
    canonicalQuery(queryStart === -1 ? '' : rawUrl.slice(queryStart + 1)),
    signed.map((name) => `${name}:${(header(request, name) ?? '').trim().replace(/\s+/g, ' ')}\n`).join(''),
    signedHeaders,
    header(request, 'x-amz-content-sha256') ?? sha256Hex(request.rawBody),
  ].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  let key: Buffer = hmac(`AWS4${options.secretAccessKey}`, day!);
  for (const part of [region!, service!, 'aws4_request']) key = hmac(key, part);
  const expected = createHmac('sha256', key).update(stringToSign).digest('hex');
  if (expected !== signature) {
    return { kind: 'error', status: 403, type: 'InvalidSignatureException', message: invalidSignature };
  }
  return undefined;
}

function header(request: RecordedRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** SigV4 for services other than S3: each path segment, as received, is URI-encoded once more. */
function canonicalUri(rawPath: string): string {
  return rawPath
    .split('/')
    .map((segment) => encodeRfc3986(segment))
    .join('/');
}

function canonicalQuery(query: string): string {
  if (query === '') return '';
  return [...new URLSearchParams(query)]
    .map(([name, value]) => `${encodeRfc3986(name)}=${encodeRfc3986(value)}`)
    .sort()
    .join('&');
}

function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

// ---------------------------------------------------------------------------------------------------------------
// AWS event-stream framing, written out by hand (not with the codec the gateway decodes with).

function encodeStreamItem(item: BedrockStreamItem): Buffer {
  if ('exception' in item) {
    return encodeFrame(
      [
        [':exception-type', item.exception],
        [':content-type', 'application/json'],
        [':message-type', 'exception'],
      ],
      JSON.stringify({ message: item.message }),
    );
  }
  // Bedrock pads each payload with a `p` field so that message sizes do not reveal the content.
  const payload = { ...(item.payload as object), p: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0' };
  return encodeFrame(
    [
      [':event-type', item.event],
      [':content-type', 'application/json'],
      [':message-type', 'event'],
    ],
    JSON.stringify(payload),
  );
}

/** Prelude (total length, headers length, prelude CRC32), string headers (type 7), payload, message CRC32. */
function encodeFrame(headers: Array<[string, string]>, payloadText: string): Buffer {
  const headerParts: Buffer[] = [];
  for (const [name, value] of headers) {
    const nameBytes = Buffer.from(name, 'utf8');
    const valueBytes = Buffer.from(value, 'utf8');
    const part = Buffer.alloc(1 + nameBytes.byteLength + 1 + 2 + valueBytes.byteLength);
    part.writeUInt8(nameBytes.byteLength, 0);
    nameBytes.copy(part, 1);
    part.writeUInt8(7, 1 + nameBytes.byteLength);
    part.writeUInt16BE(valueBytes.byteLength, 2 + nameBytes.byteLength);
    valueBytes.copy(part, 4 + nameBytes.byteLength);
    headerParts.push(part);
  }
  const headerBytes = Buffer.concat(headerParts);
  const payload = Buffer.from(payloadText, 'utf8');
  const total = 12 + headerBytes.byteLength + payload.byteLength + 4;
  const frame = Buffer.alloc(total);
  frame.writeUInt32BE(total, 0);
  frame.writeUInt32BE(headerBytes.byteLength, 4);
  frame.writeUInt32BE(crc32(frame.subarray(0, 8)), 8);
  headerBytes.copy(frame, 12);
  payload.copy(frame, 12 + headerBytes.byteLength);
  frame.writeUInt32BE(crc32(frame.subarray(0, total - 4)), total - 4);
  return frame;
}

const crcTable = Array.from({ length: 256 }, (_, index) => {
  let value = index;
  for (let bit = 0; bit < 8; bit++) value = value & 1 ? 0xedb88320 ^ (value >>> 1) : value >>> 1;
  return value >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = crcTable[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
