import { GatewayError, isVirtualKeyValue, type RequestOptions, readVirtualKey } from '@bifrost/core';
import type { Key } from '@bifrost/schemas';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';

/** Metadata never handed to plugins: it carries credentials. */
const secretKeys = new Set(['authorization', 'x-api-key', 'x-goog-api-key', 'api-key', 'x-bf-vk', 'cookie']);

/** What the options are read from: any server call, unary or streaming. */
export type IncomingCall = Pick<ServerUnaryCall<unknown, unknown>, 'getDeadline' | 'metadata' | 'once'>;

/** How the transport turns an incoming call into the engine's per-call options. */
export interface CallOptionsPolicy {
  /** Hand incoming metadata to plugins as headers; off when no plugin is loaded, to save the copy. */
  forwardHeaders: boolean;
  /** Use the caller's own `authorization: Bearer` / `x-api-key` metadata as the provider key. */
  allowDirectKeys: boolean;
  /**
   * Read a virtual key (`x-bf-vk`, or an `sk-bf-…` value in `authorization: Bearer` or `x-api-key`) into the
   * options, for the governance plugin; off when no plugin is loaded. @default false
   */
  readVirtualKeys?: boolean;
}

/** The engine options of one call plus the hook that stops its timers once the call is answered. */
export interface CallRequestOptions {
  options: RequestOptions;
  /** Clears the deadline timer. */
  done(): void;
}

/**
 * Builds the engine options for one call. The signal aborts when the client cancels or the deadline passes, so
 * the upstream request stops with it.
 */
export function callRequestOptions(call: IncomingCall, policy: CallOptionsPolicy): CallRequestOptions {
  const controller = new AbortController();
  call.once('cancelled', () => {
    controller.abort(new DOMException('the client cancelled the call', 'AbortError'));
  });
  // Our own timer can fire before grpc-js notices the deadline; aborting with a `timeout` error as the reason makes
  // the engine answer DEADLINE_EXCEEDED rather than CANCELLED, whichever comes first.
  let timer: NodeJS.Timeout | undefined;
  const deadline = call.getDeadline();
  const deadlineMs = deadline instanceof Date ? deadline.getTime() : deadline;
  if (Number.isFinite(deadlineMs)) {
    timer = setTimeout(
      () => controller.abort(new GatewayError('timeout', 'the call deadline passed')),
      Math.max(0, deadlineMs - Date.now()),
    );
    timer.unref();
  }
  const options: RequestOptions = { signal: controller.signal };
  const metadata = call.metadata;
  if (policy.forwardHeaders) options.headers = metadataHeaders(metadata);
  if (policy.readVirtualKeys) {
    const virtualKey = readVirtualKey((name) => firstString(metadata, name));
    if (virtualKey !== undefined) options.virtualKey = virtualKey;
  }
  if (policy.allowDirectKeys) {
    const key = directKey(firstString(metadata, 'authorization'), firstString(metadata, 'x-api-key'));
    if (key) options.key = key;
  }
  return { options, done: () => clearTimeout(timer) };
}

function metadataHeaders(metadata: Metadata): Record<string, string> {
  const headers: Record<string, string> = {};
  const map = metadata.getMap();
  for (const name in map) {
    const value = map[name];
    if (typeof value === 'string' && !secretKeys.has(name)) headers[name] = value;
  }
  return headers;
}

function firstString(metadata: Metadata, key: string): string | undefined {
  const value = metadata.get(key)[0];
  return typeof value === 'string' ? value : undefined;
}

function directKey(authorization: string | undefined, apiKey: string | undefined): Key | undefined {
  const value =
    authorization?.toLowerCase().startsWith('bearer ') === true ? authorization.slice(7).trim() : apiKey;
  // A virtual key is the gateway's credential, never a provider's.
  return value && !isVirtualKeyValue(value) ? { value, models: [], weight: 1 } : undefined;
}
