import { randomUUID } from 'node:crypto';
import { GatewayError } from '../errors/gateway-error.js';
import type { EngineParts } from './engine-parts.js';
import type { RequestOptions } from './request-options.js';

/** What admission settles about a request for all of its attempts. */
export interface RequestScope {
  /** Empty when no plugin is loaded: nothing would read it. */
  readonly requestId: string;
  /** State shared by plugin hooks across attempts; undefined when no plugin is loaded. */
  readonly values: Map<string, unknown> | undefined;
  readonly options: RequestOptions | undefined;
}

/**
 * The first stage: decides whether a request may enter and what it carries through every attempt. A plugin's
 * nested call inherits its parent request's own key here, so it is never billed to the gateway's keys.
 */
export function admit(parts: EngineParts, options: RequestOptions | undefined): RequestScope {
  assertOpen(parts);
  const parent = options?.parent;
  if (parent !== undefined && options!.key === undefined) {
    const key = parts.callerKeys.get(parent);
    if (key !== undefined) options = { ...options, key };
  }
  if (parent !== undefined && options!.virtualKey === undefined) {
    // A nested call is governed and billed as the request it serves.
    const virtualKey = parts.virtualKeys.get(parent);
    if (virtualKey !== undefined) options = { ...options, virtualKey };
  }
  if (parts.pipeline.isEmpty) return { requestId: options?.requestId ?? '', values: undefined, options };
  return { requestId: options?.requestId ?? randomUUID(), values: new Map(), options };
}

/** Refuses work once the engine is shutting down. */
export function assertOpen(parts: EngineParts): void {
  if (parts.lifecycle.closed) throw new GatewayError('shutting_down', 'the gateway is shutting down');
}
