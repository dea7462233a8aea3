import type { BifrostError } from './error.js';
import type { ProviderName } from './provider.js';
import type { BifrostRequest, RequestType } from './request.js';
import type { BifrostResponse } from './response.js';
import type { ChatStreamChunk } from './stream-chunk.js';

/** What a plugin knows about the request it is hooked into. */
export interface PluginContext {
  /** Unique per request; the same across its fallbacks. */
  readonly requestId: string;
  readonly requestType: RequestType;
  /** The provider and model of the current attempt: a fallback's while a fallback runs. */
  readonly provider: ProviderName;
  readonly model: string;
  /** 0 for the primary, 1 for the first fallback, and so on. */
  readonly fallbackIndex: number;
  /** Incoming request headers, lower-cased; empty for library calls. Secrets are never included. */
  readonly headers: Readonly<Record<string, string>>;
  /** State shared by all hooks of this request, keyed by whatever the plugin likes. */
  readonly values: Map<string, unknown>;
  /** Aborted when the caller goes away. */
  readonly signal: AbortSignal;
  /** `performance.now()` when the request entered the engine. */
  readonly startedAt: number;
}

/** A preHook's way to answer without calling the provider. */
export type ShortCircuit = { response: BifrostResponse } | { error: BifrostError };

/** What a preHook returns: nothing to go on unchanged, a replacement request, or a short-circuit. */
// biome-ignore lint/suspicious/noConfusingVoidType: `void` lets a hook with no return statement type-check; `undefined` would not.
export type PreHookResult = void | { request?: BifrostRequest; shortCircuit?: ShortCircuit };

/** The outcome a postHook sees and may replace: exactly one of response and error is set. */
export interface PostHookOutcome {
  response?: BifrostResponse;
  error?: BifrostError;
}

/**
 * A plugin: hooks around every request.
 *
 * PreHooks run in registration order before the provider is called; postHooks run in reverse order, and only
 * for plugins whose preHook ran. A hook that throws is logged and skipped; it never fails the request.
 */
export interface Plugin {
  readonly name: string;
  /** Inspect or replace the request, or answer it without calling the provider. */
  preHook?(context: PluginContext, request: BifrostRequest): PreHookResult | Promise<PreHookResult>;
  /**
   * Inspect or replace the outcome; may turn an error into a response and back. For streams it runs once, when
   * the stream ends, with the chunks accumulated into one response.
   */
  postHook?(
    context: PluginContext,
    outcome: PostHookOutcome,
    // biome-ignore lint/suspicious/noConfusingVoidType: as for PreHookResult, async hooks may return nothing.
  ): void | PostHookOutcome | Promise<void | PostHookOutcome>;
  /** See each streamed chunk as it passes; synchronous so that it never holds a stream up. */
  onStreamChunk?(context: PluginContext, chunk: ChatStreamChunk): void;
  /** Release resources and flush buffers; called once, at shutdown. */
  cleanup?(): void | Promise<void>;
}
