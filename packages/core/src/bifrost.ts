import { randomUUID } from 'node:crypto';
import type {
  Account,
  BifrostRequest,
  BifrostResponse,
  ChatRequest,
  ChatResponse,
  EmbeddingRequest,
  EmbeddingResponse,
  Key,
  Logger,
  ModelInfo,
  Plugin,
  PluginContext,
  ProviderConfig,
  ProviderName,
  RequestType,
  TextCompletionRequest,
  TextCompletionResponse,
} from '@bifrost/schemas';
import { pluginValueKeys } from '@bifrost/schemas';
import type { Dispatcher } from 'undici';
import { ChatCompletionStream, roundLatency, type StreamPlugins } from './engine-stream.js';
import { abortedError } from './errors/abort-reason.js';
import { allowsFallback, GatewayError } from './errors/gateway-error.js';
import { createDispatcher } from './http/create-dispatcher.js';
import { type UpstreamTimeouts, upstreamTimeouts } from './http/upstream-timeouts.js';
import { KeyCooldowns } from './keys/key-cooldowns.js';
import { selectKey } from './keys/select-key.js';
import { silentLogger } from './logger/json-logger.js';
import { PluginPipeline } from './pipeline/plugin-pipeline.js';
import { createProvider } from './providers/create-provider.js';
import type { Provider, ProviderCallOptions, ProviderResult, ProviderStream } from './providers/provider.js';
import { RequestQueue } from './queue/request-queue.js';
import { computeBackoff, sleep } from './retry/backoff.js';
import { awaitFirstChunk } from './streaming/await-first-chunk.js';
import { responseToChunks } from './streaming/response-to-chunks.js';

/** Options of {@link Bifrost.init}. */
export interface BifrostOptions {
  /** Providers, keys and settings. */
  account: Account;
  /** Run around every request, preHooks in this order. */
  plugins?: Plugin[];
  /** @default a logger that drops everything */
  logger?: Logger;
  /** Queue records allocated up front per provider. @default 300 */
  initialPoolSize?: number;
  /** Refuse with `queue_full` (429) instead of waiting when a provider's queue is full. @default false */
  dropExcessRequests?: boolean;
  /** Source of randomness for key choice and jitter. @default Math.random */
  random?: () => number;
  /** Monotonic clock in milliseconds. @default performance.now */
  now?: () => number;
  /** Builds the HTTP connection pool for a provider. @default an undici Agent honouring `proxy_config` */
  createDispatcher?: (provider: ProviderName, config: ProviderConfig) => Dispatcher;
}

/** Per-call options of the engine's methods. */
export interface RequestOptions {
  /** Abort to cancel: a queued request leaves the queue, a running one stops its upstream call. */
  signal?: AbortSignal;
  /** Incoming headers (lower-cased) for plugins; transports pass theirs, minus secrets. */
  headers?: Record<string, string>;
  /** Correlates logs and plugin records; generated when absent. */
  requestId?: string;
  /** Use this key for the call instead of the account's keys (a caller's own key). */
  key?: Key;
  /** The plugin context of the request this call is made for (a plugin's nested call): its caller's key carries over. */
  parent?: PluginContext;
}

/** One provider ready to serve: implementation, queue and settings. */
interface ProviderRuntime {
  provider: Provider;
  queue: RequestQueue;
  config: ProviderConfig;
  timeouts: UpstreamTimeouts;
  /** Keys the provider refused or rate-limited lately. */
  cooldowns: KeyCooldowns;
}

/** What {@link Bifrost.reloadProviders} changed, by provider name. */
export interface ProvidersReload {
  added: ProviderName[];
  updated: ProviderName[];
  removed: ProviderName[];
  unchanged: ProviderName[];
}

/** Whether two settings need the same connection pool and queue; keys are read per request and do not count. */
function sameSettings(current: ProviderConfig, next: ProviderConfig): boolean {
  return JSON.stringify({ ...current, keys: undefined }) === JSON.stringify({ ...next, keys: undefined });
}

/** A `Retry-After` longer than this is not waited out; the error goes back (or on to a fallback) at once. */
const maxRetryAfterMs = 60_000;

const keylessKey: Key = { value: '', models: [], weight: 1 };

/** Upper bound on moving a request to another key after refusals, whatever the number of keys. */
const maxKeySwitches = 8;
const emptyHeaders: Readonly<Record<string, string>> = Object.freeze({});

type Operation = 'chat_completion' | 'text_completion' | 'embedding';

/**
 * The engine: routes each request to its provider through a bounded queue, picks a key, retries with backoff,
 * falls back to other providers, and runs plugins around it all. Usable as a library with no HTTP at all.
 *
 * @example
 * const bifrost = await Bifrost.init({ account });
 * const answer = await bifrost.chatCompletion({ provider: 'openai', model: 'gpt-4o-mini', messages });
 */
export class Bifrost {
  private readonly account: Account;
  private readonly logger: Logger;
  private readonly pipeline: PluginPipeline;
  private readonly runtimes = new Map<ProviderName, ProviderRuntime>();
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly options: BifrostOptions;
  /** A caller's own key by the plugin context of its request, for plugins' nested calls on its behalf. */
  private readonly callerKeys = new WeakMap<PluginContext, Key>();
  private closed = false;

  private constructor(options: BifrostOptions) {
    this.options = options;
    this.account = options.account;
    this.logger = options.logger ?? silentLogger;
    this.pipeline = new PluginPipeline(options.plugins ?? [], this.logger);
    this.random = options.random ?? Math.random;
    this.now = options.now ?? (() => performance.now());
  }

  /** Builds an engine and prepares every provider the account configures. */
  static async init(options: BifrostOptions): Promise<Bifrost> {
    const engine = new Bifrost(options);
    const providers = await options.account.getConfiguredProviders();
    for (const name of providers) {
      const config = await options.account.getConfigForProvider(name);
      engine.runtimes.set(name, engine.createRuntime(name, config));
    }
    for (const plugin of engine.pipeline.plugins) plugin.setup?.(engine);
    return engine;
  }

  /**
   * Reads the account's providers and settings again and applies the difference: new providers start, removed
   * ones stop, and one whose settings changed gets a fresh connection pool and queue. Requests already running
   * finish on what they started with. Keys need no reload: they are read from the account on every request.
   * Plugins are not reloaded.
   */
  async reloadProviders(): Promise<ProvidersReload> {
    this.assertOpen();
    const names = await this.account.getConfiguredProviders();
    const next = new Map<ProviderName, ProviderConfig>();
    // Everything is read and built before anything is swapped, so a failure leaves the running set untouched.
    for (const name of names) next.set(name, await this.account.getConfigForProvider(name));
    const summary: ProvidersReload = { added: [], updated: [], removed: [], unchanged: [] };
    const built = new Map<ProviderName, ProviderRuntime>();
    try {
      for (const [name, config] of next) {
        const current = this.runtimes.get(name);
        if (current && sameSettings(current.config, config)) {
          summary.unchanged.push(name);
          continue;
        }
        built.set(name, this.createRuntime(name, config));
        (current ? summary.updated : summary.added).push(name);
      }
    } catch (error) {
      await Promise.all([...built.values()].map((runtime) => runtime.provider.close()));
      throw error;
    }
    const retired: ProviderRuntime[] = [];
    for (const [name, runtime] of this.runtimes) {
      if (!next.has(name)) {
        summary.removed.push(name);
        retired.push(runtime);
        this.runtimes.delete(name);
      }
    }
    for (const [name, runtime] of built) {
      const current = this.runtimes.get(name);
      if (current) retired.push(current);
      this.runtimes.set(name, runtime);
    }
    // An undici pool's close() waits for the requests it is serving, so in-flight calls finish undisturbed.
    for (const runtime of retired) {
      runtime.provider.close().catch((error) => {
        this.logger.warn('closing a replaced provider failed', { reason: (error as Error).message });
      });
    }
    return summary;
  }

  /** The providers this engine can route to. */
  get providers(): ProviderName[] {
    return [...this.runtimes.keys()];
  }

  /** The plugins this engine runs, in order; transports read their `httpRoutes` and `onHttpRequest`. */
  get plugins(): readonly Plugin[] {
    return this.pipeline.plugins;
  }

  /** Requests running and waiting, per provider. */
  queueStats(): Record<string, { inFlight: number; waiting: number }> {
    const stats: Record<string, { inFlight: number; waiting: number }> = {};
    for (const [name, runtime] of this.runtimes) {
      stats[name] = { inFlight: runtime.queue.inFlight, waiting: runtime.queue.waiting };
    }
    return stats;
  }

  /** A chat completion. Rejects with a {@link GatewayError}. */
  chatCompletion(request: ChatRequest, options?: RequestOptions): Promise<ChatResponse> {
    return this.execute('chat_completion', request, options) as Promise<ChatResponse>;
  }

  /** A legacy text completion. Rejects with a {@link GatewayError}. */
  textCompletion(request: TextCompletionRequest, options?: RequestOptions): Promise<TextCompletionResponse> {
    return this.execute('text_completion', request, options) as Promise<TextCompletionResponse>;
  }

  /** Embeddings for one input or many. Rejects with a {@link GatewayError}. */
  embedding(request: EmbeddingRequest, options?: RequestOptions): Promise<EmbeddingResponse> {
    return this.execute('embedding', request, options) as Promise<EmbeddingResponse>;
  }

  /**
   * A streamed chat completion. Resolves once a provider has accepted the stream, so retries and fallbacks
   * apply to everything that fails before the first chunk; then iterate the chunks.
   */
  chatCompletionStream(request: ChatRequest, options?: RequestOptions): Promise<ChatCompletionStream> {
    return this.execute('chat_completion_stream', request, options) as Promise<ChatCompletionStream>;
  }

  /** Lists the models of every configured provider (or one), asking each provider; failures are skipped and logged. */
  async listModels(provider?: ProviderName, options?: RequestOptions): Promise<ModelInfo[]> {
    const names = provider ? [provider] : this.providers;
    const lists = await Promise.all(
      names.map(async (name) => {
        const runtime = this.runtimes.get(name);
        if (!runtime) return [];
        try {
          const key = options?.key ?? (await this.anyKey(runtime, name));
          return await runtime.provider.listModels({ key, signal: options?.signal });
        } catch (error) {
          // Asked for one provider, its failure is the answer; across all, one failing must not hide the rest.
          if (provider) throw GatewayError.from(error, { provider: name });
          this.logger.warn('could not list models', {
            provider: name,
            reason: GatewayError.from(error).message,
          });
          return [];
        }
      }),
    );
    return lists.flat();
  }

  /** Stops accepting requests, flushes plugins and closes upstream connections once in-flight calls finish. */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pipeline.cleanup();
    await Promise.all([...this.runtimes.values()].map((runtime) => runtime.provider.close()));
  }

  private createRuntime(name: ProviderName, config: ProviderConfig): ProviderRuntime {
    const timeouts = upstreamTimeouts(config.network_config);
    const dispatcher =
      this.options.createDispatcher?.(name, config) ??
      createDispatcher(config.proxy_config, {
        connections: config.concurrency_and_buffer_size.concurrency,
        connectTimeoutSeconds: timeouts.connectMs / 1000,
      });
    const queue = new RequestQueue({
      provider: name,
      concurrency: config.concurrency_and_buffer_size.concurrency,
      bufferSize: config.concurrency_and_buffer_size.buffer_size,
      dropExcessRequests: this.options.dropExcessRequests ?? false,
      initialPoolSize: this.options.initialPoolSize ?? 300,
    });
    const provider = createProvider(name, config, dispatcher);
    return { provider, queue, config, timeouts, cooldowns: new KeyCooldowns() };
  }

  /** The fallback loop: the primary, then each fallback in order while the failure allows it. */
  private async execute(
    type: RequestType,
    request: BifrostRequest,
    options?: RequestOptions,
  ): Promise<BifrostResponse | ChatCompletionStream> {
    this.assertOpen();
    if (options?.parent !== undefined && options.key === undefined) {
      const key = this.callerKeys.get(options.parent);
      if (key !== undefined) options = { ...options, key };
    }
    const targets = request.fallbacks;
    const requestId = options?.requestId ?? (this.pipeline.isEmpty ? '' : randomUUID());
    const values = this.pipeline.isEmpty ? undefined : new Map<string, unknown>();
    let primaryError: GatewayError | undefined;
    const attempts = 1 + (targets?.length ?? 0);
    for (let index = 0; index < attempts; index++) {
      const target = index === 0 ? request : withTarget(request, targets![index - 1]!);
      try {
        return type === 'chat_completion_stream'
          ? await this.attemptStream(target as ChatRequest, index, requestId, values, options)
          : await this.attempt(type, target, index, requestId, values, options);
      } catch (caught) {
        const error = GatewayError.from(caught, { provider: target.provider, model: target.model });
        primaryError ??= error;
        if (index + 1 >= attempts || !allowsFallback(error)) break;
        this.logger.warn('falling back', { from: target.provider, model: target.model, reason: error.code });
      }
    }
    throw primaryError!;
  }

  /** One provider's turn: plugins, then the provider with retries, then plugins again. */
  private async attempt(
    type: Operation,
    request: BifrostRequest,
    fallbackIndex: number,
    requestId: string,
    values: Map<string, unknown> | undefined,
    options: RequestOptions | undefined,
  ): Promise<BifrostResponse> {
    if (this.pipeline.isEmpty) return this.dispatch(type, request, fallbackIndex, undefined, options);
    let context = this.createContext(type, request, fallbackIndex, requestId, values!, options);
    let pre = this.pipeline.runPreHooks(context, request);
    if (isPromiseLike(pre)) pre = await pre;
    if (pre.request !== request)
      context = this.createContext(type, pre.request, fallbackIndex, requestId, values!, options);
    let outcome: { response?: BifrostResponse; error?: ReturnType<GatewayError['toBifrostError']> };
    let failure: GatewayError | undefined;
    if (pre.shortCircuit) {
      outcome = pre.shortCircuit;
    } else {
      try {
        outcome = { response: await this.dispatch(type, pre.request, fallbackIndex, values, options) };
      } catch (error) {
        failure = GatewayError.from(error, pre.request);
        outcome = { error: failure.toBifrostError() };
      }
    }
    const sent = outcome.error;
    if (this.pipeline.hasPostHooks) outcome = await this.pipeline.runPostHooks(context, pre.ran, outcome);
    if (outcome.response) return outcome.response;
    // An error no postHook replaced keeps what the wire shape cannot carry (Retry-After, cause).
    if (failure && outcome.error === sent) throw failure;
    throw GatewayError.fromBifrostError(outcome.error!);
  }

  private async attemptStream(
    request: ChatRequest,
    fallbackIndex: number,
    requestId: string,
    values: Map<string, unknown> | undefined,
    options: RequestOptions | undefined,
  ): Promise<ChatCompletionStream> {
    const startedAt = this.now();
    if (this.pipeline.isEmpty) {
      const { result, retries } = await this.callWithRetries(
        'chat_completion_stream',
        request,
        undefined,
        options,
      );
      const origin = { provider: request.provider, model: request.model, retries, fallbackIndex, startedAt };
      return new ChatCompletionStream(result as ProviderStream, origin, undefined, this.now);
    }
    let context = this.createContext(
      'chat_completion_stream',
      request,
      fallbackIndex,
      requestId,
      values!,
      options,
    );
    let pre = this.pipeline.runPreHooks(context, request);
    if (isPromiseLike(pre)) pre = await pre;
    const current = pre.request as ChatRequest;
    if (current !== request) {
      context = this.createContext(
        'chat_completion_stream',
        current,
        fallbackIndex,
        requestId,
        values!,
        options,
      );
    }
    const plugins: StreamPlugins = { pipeline: this.pipeline, context, ran: pre.ran };
    const origin = { provider: current.provider, model: current.model, retries: 0, fallbackIndex, startedAt };
    if (pre.shortCircuit) {
      if ('error' in pre.shortCircuit) {
        const outcome = await this.pipeline.runPostHooks(context, pre.ran, { error: pre.shortCircuit.error });
        if (outcome.response?.object === 'chat.completion') {
          return new ChatCompletionStream(chunksOf(outcome.response), origin, undefined, this.now);
        }
        // A postHook that answered with something other than a chat completion cannot feed a chat stream.
        throw GatewayError.fromBifrostError(outcome.error ?? pre.shortCircuit.error);
      }
      const response = pre.shortCircuit.response as ChatResponse;
      return new ChatCompletionStream(chunksOf(response), origin, plugins, this.now);
    }
    try {
      const { result, retries } = await this.callWithRetries(
        'chat_completion_stream',
        current,
        values,
        options,
      );
      return new ChatCompletionStream(result as ProviderStream, { ...origin, retries }, plugins, this.now);
    } catch (caught) {
      const error = GatewayError.from(caught, current);
      const sent = error.toBifrostError();
      const outcome = this.pipeline.hasPostHooks
        ? await this.pipeline.runPostHooks(context, pre.ran, { error: sent })
        : { error: sent };
      if (outcome.response?.object === 'chat.completion') {
        return new ChatCompletionStream(chunksOf(outcome.response), origin, undefined, this.now);
      }
      throw outcome.error === undefined || outcome.error === sent
        ? error
        : GatewayError.fromBifrostError(outcome.error);
    }
  }

  /** Calls the provider under its retry policy and stamps the answer's `extra_fields`. */
  private async dispatch(
    type: Operation,
    request: BifrostRequest,
    fallbackIndex: number,
    values: Map<string, unknown> | undefined,
    options: RequestOptions | undefined,
  ): Promise<BifrostResponse> {
    const startedAt = this.now();
    const { result, retries } = await this.callWithRetries(type, request, values, options);
    const response = result as ProviderResult<BifrostResponse>;
    const extra = response.extra_fields;
    const fields: BifrostResponse['extra_fields'] = {
      provider: request.provider,
      model: request.model,
      latency: roundLatency(this.now() - startedAt),
    };
    if (retries > 0) fields.retries = retries;
    if (fallbackIndex > 0) fields.fallback_index = fallbackIndex;
    if (extra?.warnings) fields.warnings = extra.warnings;
    if (extra?.raw_response !== undefined) fields.raw_response = extra.raw_response;
    response.extra_fields = fields;
    return response as BifrostResponse;
  }

  /**
   * The retry loop: take a queue slot, pick a key, call; on a retryable failure release the slot, wait out the
   * backoff (or the provider's `Retry-After`) and go again, up to `max_retries` times. With plugins loaded
   * (`values` set) it leaves the queue wait and retry count there, under {@link pluginValueKeys}.
   */
  private async callWithRetries(
    type: RequestType,
    request: BifrostRequest,
    values: Map<string, unknown> | undefined,
    options: RequestOptions | undefined,
  ): Promise<{ result: unknown; retries: number }> {
    const runtime = this.runtimes.get(request.provider);
    if (!runtime) {
      throw new GatewayError('provider_not_configured', `provider "${request.provider}" is not configured`, {
        provider: request.provider,
        model: request.model,
        param: 'provider',
      });
    }
    const network = runtime.config.network_config;
    const signal = options?.signal;
    // Moves to another key after one was refused; they do not use up max_retries but are reported as retries.
    let keySwitches = 0;
    for (let attempt = 0; ; attempt++) {
      const waiting = runtime.queue.acquire(signal);
      if (waiting) {
        // Timed only when the queue was full, and only for plugins: a free slot costs no clock read.
        const queuedAt = values ? this.now() : 0;
        await waiting;
        if (values) {
          const before = (values.get(pluginValueKeys.queueWaitMs) as number | undefined) ?? 0;
          values.set(pluginValueKeys.queueWaitMs, before + this.now() - queuedAt);
        }
      }
      let failure: GatewayError;
      let key: Key | undefined;
      let deadline: Deadline | undefined;
      try {
        const picked = options?.key ?? this.pickKey(runtime, request.provider, request.model);
        key = isPromiseLike(picked) ? await picked : picked;
        if (runtime.timeouts.totalMs !== undefined) {
          deadline = new Deadline(signal, runtime.timeouts.totalMs, request);
        }
        let result = await invoke(runtime.provider, type, request, {
          key,
          signal: deadline?.signal ?? signal,
        });
        if (type === 'chat_completion_stream') {
          // Until its first chunk a stream is still this attempt's: a silent or failing one is retried.
          // The stream keeps the attempt's deadline until it ends.
          result = await awaitFirstChunk(
            result as ProviderStream,
            runtime.timeouts.firstTokenMs,
            request,
            deadline?.clear,
          );
        } else {
          deadline?.clear();
        }
        values?.set(pluginValueKeys.retries, attempt + keySwitches);
        return { result, retries: attempt + keySwitches };
      } catch (error) {
        deadline?.clear();
        failure = GatewayError.from(error, request);
      } finally {
        runtime.queue.release();
      }
      if (key !== undefined && options?.key === undefined && !signal?.aborted) {
        const switched = await this.setKeyAside(runtime, request, key, failure);
        if (switched && keySwitches < maxKeySwitches) {
          keySwitches++;
          attempt--;
          this.logger.debug('trying another key', { provider: request.provider, reason: failure.code });
          continue;
        }
      }
      const retryAfter = failure.retryAfterMs;
      if (
        !failure.retryable ||
        attempt >= network.max_retries ||
        signal?.aborted ||
        (retryAfter !== undefined && retryAfter > maxRetryAfterMs)
      ) {
        failure.retries = attempt + keySwitches;
        values?.set(pluginValueKeys.retries, attempt + keySwitches);
        throw failure;
      }
      const delay =
        retryAfter ??
        computeBackoff(
          attempt + 1,
          { initialMs: network.retry_backoff_initial, maxMs: network.retry_backoff_max },
          this.random,
        );
      this.logger.debug('retrying', {
        provider: request.provider,
        attempt: attempt + 1,
        delay_ms: delay,
        reason: failure.code,
      });
      try {
        await sleep(delay, signal);
      } catch {
        throw abortedError(signal, 'the request was cancelled while waiting to retry', {
          provider: request.provider,
          model: request.model,
          retries: attempt + keySwitches,
        });
      }
    }
  }

  /**
   * Cools a key the provider refused (401/403: for `key_cooldown_in_seconds`) or rate-limited (429: for its
   * `Retry-After`), and tells whether another key of the provider could take the request now.
   */
  private async setKeyAside(
    runtime: ProviderRuntime,
    request: BifrostRequest,
    key: Key,
    failure: GatewayError,
  ): Promise<boolean> {
    if (!failure.fromProvider) return false;
    const status = failure.statusCode;
    let durationMs: number;
    if (status === 401 || status === 403) {
      durationMs = runtime.config.network_config.key_cooldown_in_seconds * 1000;
    } else if (status === 429 && failure.retryAfterMs !== undefined) {
      durationMs = failure.retryAfterMs;
    } else {
      return false;
    }
    const now = this.now();
    runtime.cooldowns.coolDown(key, durationMs, now);
    const keys = await this.account.getKeysForProvider(request.provider);
    return runtime.cooldowns.hasOtherAvailable(keys, key, request.model, now);
  }

  /** Synchronous when the account is (the config file's is), so the common path costs no extra microtask. */
  private pickKey(runtime: ProviderRuntime, provider: ProviderName, model: string): Key | Promise<Key> {
    const keys = this.account.getKeysForProvider(provider);
    if (isPromiseLike(keys))
      return keys.then((resolved) => this.chooseKey(runtime, resolved, provider, model));
    return this.chooseKey(runtime, keys, provider, model);
  }

  private chooseKey(
    runtime: ProviderRuntime,
    keys: readonly Key[],
    provider: ProviderName,
    model: string,
  ): Key {
    if (keys.length === 0 && !runtime.provider.requiresKey) return keylessKey;
    const usable = runtime.cooldowns.isEmpty ? keys : runtime.cooldowns.available(keys, model, this.now());
    return selectKey(usable, provider, model, this.random);
  }

  /** Listing models is not about one model: any usable key will do. */
  private async anyKey(runtime: ProviderRuntime, provider: ProviderName): Promise<Key> {
    const keys = await this.account.getKeysForProvider(provider);
    const key = keys.find((candidate) => candidate.weight > 0);
    if (key) return key;
    if (!runtime.provider.requiresKey) return keylessKey;
    throw new GatewayError('no_key_available', `no ${provider} key is configured`, { provider });
  }

  private createContext(
    requestType: RequestType,
    request: BifrostRequest,
    fallbackIndex: number,
    requestId: string,
    values: Map<string, unknown>,
    options: RequestOptions | undefined,
  ): PluginContext {
    if (fallbackIndex > 0) {
      // What the engine noted about the previous attempt does not describe this one.
      values.delete(pluginValueKeys.queueWaitMs);
      values.delete(pluginValueKeys.retries);
    }
    const context: PluginContext = {
      requestId,
      requestType,
      provider: request.provider,
      model: request.model,
      fallbackIndex,
      headers: options?.headers ?? emptyHeaders,
      values,
      signal: options?.signal ?? neverAborted,
      startedAt: this.now(),
    };
    // Kept apart from the context, which plugins read: a key is a secret.
    if (options?.key !== undefined) this.callerKeys.set(context, options.key);
    return context;
  }

  private assertOpen(): void {
    if (this.closed) throw new GatewayError('shutting_down', 'the gateway is shutting down');
  }
}

const neverAborted = new AbortController().signal;

/**
 * `total_timeout_in_seconds` for one attempt: a signal that aborts with a `timeout` error when the time is up, or
 * with the caller's reason when the caller goes away first.
 */
class Deadline {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private readonly caller: AbortSignal | undefined;
  private readonly onCallerAbort = () => this.controller.abort(this.caller?.reason);

  constructor(
    caller: AbortSignal | undefined,
    totalMs: number,
    target: { provider: ProviderName; model: string },
  ) {
    this.caller = caller;
    this.timer = setTimeout(() => {
      this.controller.abort(
        new GatewayError(
          'timeout',
          `${target.provider} did not finish within ${totalMs / 1000}s (total_timeout_in_seconds)`,
          { provider: target.provider, model: target.model },
        ),
      );
    }, totalMs);
    // A stream keeps its deadline until it ends; the timer alone must not keep the process alive.
    this.timer.unref();
    if (caller?.aborted) this.controller.abort(caller.reason);
    else caller?.addEventListener('abort', this.onCallerAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Stops the clock; safe to call more than once, and unbound (it is handed on as a callback). */
  readonly clear = (): void => {
    clearTimeout(this.timer);
    this.caller?.removeEventListener('abort', this.onCallerAbort);
  };
}

function isPromiseLike<Value>(value: Value | PromiseLike<Value>): value is PromiseLike<Value> {
  return typeof (value as { then?: unknown }).then === 'function';
}

function invoke(
  provider: Provider,
  type: RequestType,
  request: BifrostRequest,
  options: ProviderCallOptions,
): Promise<unknown> {
  switch (type) {
    case 'chat_completion':
      return provider.chatCompletion(request as ChatRequest, options);
    case 'chat_completion_stream':
      return provider.chatCompletionStream(request as ChatRequest, options);
    case 'text_completion':
      return provider.textCompletion(request as TextCompletionRequest, options);
    case 'embedding':
      return provider.embedding(request as EmbeddingRequest, options);
  }
}

function withTarget<Request extends BifrostRequest>(
  request: Request,
  target: { provider: ProviderName; model: string },
): Request {
  return { ...request, provider: target.provider, model: target.model, fallbacks: undefined };
}

function chunksOf(response: ChatResponse): ProviderStream {
  const chunks = responseToChunks(response);
  return {
    async *[Symbol.asyncIterator]() {
      yield* chunks;
    },
    cancel: () => {},
  };
}
