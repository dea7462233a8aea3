import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { isVirtualKeyValue, type RequestOptions, readVirtualKey } from '@bifrost/core';
import type { Key } from '@bifrost/schemas';

/** Headers never handed to plugins: they carry credentials. */
const secretHeaders = new Set([
  'authorization',
  'x-api-key',
  'x-goog-api-key',
  'x-bf-vk',
  'api-key',
  'cookie',
  'proxy-authorization',
]);

/** How the HTTP layer turns an incoming request into the engine's per-call options. */
export interface RequestOptionsPolicy {
  /** Hand incoming headers to plugins; off when no plugin is loaded, to save the copy. */
  forwardHeaders: boolean;
  /** Use the caller's own `Authorization: Bearer` / `x-api-key` / `x-goog-api-key` as the provider key. */
  allowDirectKeys: boolean;
  /** Read the caller's virtual key (`x-bf-vk`, `sk-bf-…` credentials) for governance; off when nothing governs. */
  readVirtualKeys?: boolean;
}

/** The Node request and response behind a web `Request`, when served by the Node adapter. */
export interface NodeExchange {
  incoming: IncomingMessage;
  outgoing: ServerResponse;
}

/**
 * Builds the engine options for one request: cancellation, headers for plugins, and a direct key if allowed.
 * Served by Node, it reads the raw request: the adapter's `Request.signal` and `headers` are built on first
 * touch (a whole fetch Request with a body stream), which would cost more than the rest of the request.
 */
export function requestOptions(
  request: Request,
  policy: RequestOptionsPolicy,
  node?: NodeExchange,
): RequestOptions {
  if (node) return nodeRequestOptions(node, policy);
  const options: RequestOptions = { signal: request.signal };
  if (policy.forwardHeaders) options.headers = webPluginHeaders(request.headers);
  if (policy.readVirtualKeys) {
    const virtualKey = readVirtualKey((name) => request.headers.get(name) ?? undefined);
    if (virtualKey !== undefined) options.virtualKey = virtualKey;
  }
  if (policy.allowDirectKeys) {
    const key = directKey(
      request.headers.get('authorization') ?? undefined,
      request.headers.get('x-api-key') ?? request.headers.get('x-goog-api-key') ?? undefined,
    );
    if (key) options.key = key;
  }
  return options;
}

function nodeRequestOptions(
  { incoming, outgoing }: NodeExchange,
  policy: RequestOptionsPolicy,
): RequestOptions {
  const options: RequestOptions = { signal: disconnectSignal(outgoing) };
  const raw = incoming.headers;
  if (policy.forwardHeaders) options.headers = nodePluginHeaders(raw);
  if (policy.readVirtualKeys) {
    const virtualKey = readVirtualKey((name) => firstValue(raw[name]));
    if (virtualKey !== undefined) options.virtualKey = virtualKey;
  }
  if (policy.allowDirectKeys) {
    // Google's SDK sends its key as x-goog-api-key; Anthropic's as x-api-key.
    const apiKey = raw['x-api-key'] ?? raw['x-goog-api-key'];
    const key = directKey(raw.authorization, Array.isArray(apiKey) ? apiKey[0] : apiKey);
    if (key) options.key = key;
  }
  return options;
}

/** Aborts when the client goes away before its answer has been written. */
function disconnectSignal(outgoing: ServerResponse): AbortSignal {
  const controller = new AbortController();
  outgoing.once('close', () => {
    if (!outgoing.writableFinished)
      controller.abort(new DOMException('the client disconnected', 'AbortError'));
  });
  return controller.signal;
}

function directKey(authorization: string | undefined, apiKey: string | undefined): Key | undefined {
  const value =
    authorization?.toLowerCase().startsWith('bearer ') === true ? authorization.slice(7).trim() : apiKey;
  // A virtual key is the gateway's credential, never a provider's.
  return value && !isVirtualKeyValue(value) ? { value, models: [], weight: 1 } : undefined;
}

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Node's incoming headers as plugins see them: lower-cased, repeated values joined, credentials left out. */
export function nodePluginHeaders(raw: IncomingHttpHeaders): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name in raw) {
    const value = raw[name];
    if (value === undefined || secretHeaders.has(name)) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** A web request's headers as plugins see them: lower-cased, credentials left out. */
export function webPluginHeaders(source: Headers): Record<string, string> {
  const headers: Record<string, string> = {};
  source.forEach((value, name) => {
    if (!secretHeaders.has(name)) headers[name] = value;
  });
  return headers;
}
