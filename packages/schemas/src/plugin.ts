import type { BifrostError } from './error.js';
import type { ProviderName } from './provider.js';
import type { BifrostRequest, ChatRequest, RequestType } from './request.js';
import type { BifrostResponse, ChatResponse } from './response.js';
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

/**
 * Keys under which the engine leaves facts about a request in {@link PluginContext.values}, for metrics plugins.
 * Written only when at least one plugin is loaded (without plugins there is no `values` map), so they cost
 * nothing otherwise.
 */
export const pluginValueKeys = {
  /**
   * Milliseconds the current attempt waited for a slot in its provider's queue, summed over its retries; absent
   * when it did not wait.
   */
  queueWaitMs: 'bifrost.queue_wait_ms',
  /** How many times the current attempt was retried against its provider; set once the provider has answered. */
  retries: 'bifrost.retries',
  /**
   * Set by a plugin (governance, for a virtual key's `key_ids`) to the ids or names of the provider keys this
   * request may use; absent means any key. The engine honours it when it picks a key.
   */
  allowedKeyIds: 'bifrost.allowed_key_ids',
  /** Set by governance: the id of the virtual key the request came with, for metrics and logs (never its value). */
  virtualKeyId: 'bifrost.virtual_key_id',
  /** Set by governance: the answer's cost in USD, once known. */
  cost: 'bifrost.cost',
} as const;

/**
 * A preHook's way to answer without calling the provider. An error may carry response headers (`retry-after`,
 * `x-ratelimit-*`), which the transports send with it.
 */
export type ShortCircuit =
  | { response: BifrostResponse }
  | { error: BifrostError; headers?: Readonly<Record<string, string>> };

/** What {@link Plugin.routeModel} knows of a request whose model names no provider. */
export interface ModelRouteInput {
  /** The virtual key the caller presented, if any. A secret: never log it. */
  readonly virtualKey: string | undefined;
  readonly requestType: RequestType;
}

/** A provider and model to try, as {@link Plugin.routeModel} picks them. */
export interface RoutedModel {
  readonly provider: ProviderName;
  readonly model: string;
}

/** What a preHook returns: nothing to go on unchanged, a replacement request, or a short-circuit. */
// biome-ignore lint/suspicious/noConfusingVoidType: `void` lets a hook with no return statement type-check; `undefined` would not.
export type PreHookResult = void | { request?: BifrostRequest; shortCircuit?: ShortCircuit };

/** The outcome a postHook sees and may replace: exactly one of response and error is set. */
export interface PostHookOutcome {
  response?: BifrostResponse;
  error?: BifrostError;
}

/** An HTTP route a plugin serves on the HTTP transport, such as Prometheus' `GET /metrics`. */
export interface PluginHttpRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  /** A route template in Hono's syntax, e.g. `/metrics` or `/plugins/tagger/:id`. */
  path: string;
  /**
   * Answers the request; a thrown error becomes the gateway's usual error response. `info` carries what the web
   * `Request` cannot, such as the caller's address; the HTTP transport always passes it.
   */
  handle(request: Request, info?: PluginHttpRequestInfo): Response | Promise<Response>;
}

/** What the HTTP transport knows about the caller of a plugin route beyond the web `Request`. */
export interface PluginHttpRequestInfo {
  /**
   * The caller's IP address as the socket saw it (`127.0.0.1`, `::ffff:192.0.2.7`), never taken from a header;
   * undefined when the request did not arrive over a socket (in-process `app.request()`). Behind a reverse proxy
   * on the same machine every caller shows the proxy's loopback address.
   */
  remoteAddress: string | undefined;
}

/** One HTTP request as the transport saw it, handed to {@link Plugin.onHttpRequest} after the answer. */
export interface HttpRequestEvent {
  method: string;
  /** The matched route template (`/v1/chat/completions`), never the raw path; `unmatched` for unknown paths. */
  route: string;
  status: number;
  /** From the request's arrival until the answer ended (for a stream, until its last byte was written). */
  durationSeconds: number;
  /** The request's `content-length`, 0 when it had none. */
  requestBytes: number;
  /** Bytes of the response body (for a stream, every event written). */
  responseBytes: number;
  /** Incoming request headers, lower-cased, without credentials. */
  headers: Readonly<Record<string, string>>;
}

/** What a plugin may read of the running engine, handed to {@link Plugin.setup}. */
export interface PluginGateway {
  /** The providers the engine routes to. */
  readonly providers: readonly ProviderName[];
  /** Requests running and waiting, per provider, at the time of the call. */
  queueStats(): Record<string, { inFlight: number; waiting: number }>;
  /**
   * Sends a chat completion through the engine, plugins included, for plugins that call the model themselves
   * (an agent loop). The engine always provides it; it is optional so that hand-made gateways in tests need not.
   * Rejects with the engine's error. A plugin must recognise its own nested calls (by `requestId`, say) so that
   * its hooks do not start over on them.
   */
  chatCompletion?(request: ChatRequest, options?: PluginGatewayCallOptions): Promise<ChatResponse>;
  /**
   * The virtual key (`sk-bf-…`, or any `x-bf-vk` value) the caller of this request presented, undefined when none.
   * Kept off the context because it is a secret: never log it.
   */
  virtualKeyOf?(context: PluginContext): string | undefined;
}

/** Per-call options of {@link PluginGateway.chatCompletion}. */
export interface PluginGatewayCallOptions {
  /** Abort to cancel the nested call. */
  signal?: AbortSignal;
  /** Headers the nested call's plugins see, usually the outer request's. */
  headers?: Record<string, string>;
  /** The nested call's request id; generated when absent. */
  requestId?: string;
  /**
   * The request this call is made for: the nested call uses the same provider key, so a caller's own key
   * (`allow_direct_keys`) pays for the whole exchange, not the gateway's keys.
   */
  parent?: PluginContext;
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
  /**
   * See (and change) each streamed chunk as it passes; synchronous so that it never holds a stream up. Defining it
   * costs every chunk a fresh serialisation (the provider's own bytes can no longer be passed on); a plugin that
   * only cares how a stream ends should use {@link Plugin.onClosingStreamChunk}.
   */
  onStreamChunk?(context: PluginContext, chunk: ChatStreamChunk): void;
  /**
   * See (and change) the chunks that close a stream: those carrying a finish reason or the usage, which the engine
   * gives `extra_fields` (and so serialises afresh) anyway. Runs before `onStreamChunk`; synchronous.
   */
  onClosingStreamChunk?(context: PluginContext, chunk: ChatStreamChunk): void;
  /**
   * Picks where a request whose model names no provider (`"gpt-4o"`) goes: the first entry is the target, the rest
   * its fallbacks in order. Return undefined to leave the request as it is. The first plugin that answers wins.
   * Transports call it before validating the request.
   */
  routeModel?(model: string, input: ModelRouteInput): readonly RoutedModel[] | undefined;
  /** Release resources and flush buffers; called once, at shutdown. */
  cleanup?(): void | Promise<void>;
  /** Called once by `Bifrost.init`, after the providers are ready; for state read at scrape time, such as queues. */
  setup?(gateway: PluginGateway): void;
  /**
   * Routes the HTTP transport mounts next to its own (before its 404). Other transports ignore them. Keep their
   * paths out of `/v1/`.
   */
  readonly httpRoutes?: readonly PluginHttpRoute[];
  /**
   * Called once per HTTP request after its answer has been written, for the plugin's own routes too. The
   * transport measures requests only when some plugin defines this hook. Must not throw; must be cheap.
   */
  onHttpRequest?(event: HttpRequestEvent): void;
}
