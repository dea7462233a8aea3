import type {
  Account,
  ChatRequest,
  ChatResponse,
  EmbeddingRequest,
  EmbeddingResponse,
  Key,
  Logger,
  ModelInfo,
  ModelRouteInput,
  Plugin,
  PluginContext,
  ProviderConfig,
  ProviderName,
  RoutedModel,
  TextCompletionRequest,
  TextCompletionResponse,
} from '@bifrost/schemas';
import type { Dispatcher } from 'undici';
import { assertOpen } from './engine/admission.js';
import type { ChatCompletionStream } from './engine/chat-completion-stream.js';
import type { EngineParts } from './engine/engine-parts.js';
import { runRequest } from './engine/fallback-loop.js';
import { listModels } from './engine/list-models.js';
import { operations } from './engine/operations.js';
import { ProviderRegistry, type ProvidersReload } from './engine/provider-registry.js';
import type { RequestOptions } from './engine/request-options.js';
import { KeyPicker } from './keys/key-picker.js';
import { silentLogger } from './logger/json-logger.js';
import { PluginPipeline } from './pipeline/plugin-pipeline.js';

export type { ProvidersReload } from './engine/provider-registry.js';
export type { RequestOptions } from './engine/request-options.js';

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

/**
 * The engine: routes each request to its provider through a bounded queue, picks a key, retries with backoff,
 * falls back to other providers, and runs plugins around it all. Usable as a library with no HTTP at all. A thin
 * front over the stages in `engine/` (see docs/architecture.md).
 *
 * @example
 * const bifrost = await Bifrost.init({ account });
 * const answer = await bifrost.chatCompletion({ provider: 'openai', model: 'gpt-4o-mini', messages });
 */
export class Bifrost {
  private readonly parts: EngineParts;

  private constructor(options: BifrostOptions) {
    const logger = options.logger ?? silentLogger;
    const random = options.random ?? Math.random;
    const now = options.now ?? (() => performance.now());
    this.parts = {
      registry: new ProviderRegistry(options.account, options, logger),
      keys: new KeyPicker(options.account, random, now),
      pipeline: new PluginPipeline(options.plugins ?? [], logger),
      logger,
      random,
      now,
      callerKeys: new WeakMap<PluginContext, Key>(),
      virtualKeys: new WeakMap<PluginContext, string>(),
      lifecycle: { closed: false },
    };
  }

  /** Builds an engine and prepares every provider the account configures. */
  static async init(options: BifrostOptions): Promise<Bifrost> {
    const engine = new Bifrost(options);
    await engine.parts.registry.load();
    for (const plugin of engine.parts.pipeline.plugins) plugin.setup?.(engine);
    return engine;
  }

  /**
   * Reads the account's providers and settings again and applies the difference: new providers start, removed
   * ones stop, and one whose settings changed gets a fresh connection pool and queue. Requests already running
   * finish on what they started with. Keys need no reload: they are read from the account on every request.
   * Plugins are not reloaded.
   */
  async reloadProviders(): Promise<ProvidersReload> {
    assertOpen(this.parts);
    return this.parts.registry.reload();
  }

  /** The providers this engine can route to. */
  get providers(): ProviderName[] {
    return this.parts.registry.names;
  }

  /** The plugins this engine runs, in order; transports read their `httpRoutes` and `onHttpRequest`. */
  get plugins(): readonly Plugin[] {
    return this.parts.pipeline.plugins;
  }

  /** The virtual key the request behind a plugin context came with; see `PluginGateway.virtualKeyOf`. */
  virtualKeyOf(context: PluginContext): string | undefined {
    return this.parts.virtualKeys.get(context);
  }

  /**
   * Where a model that names no provider goes, as the first plugin with `routeModel` decides (governance routes
   * a virtual key's bare model by its provider weights): the target, then its fallbacks. Undefined when no
   * plugin routes it.
   */
  routeModel(model: string, input: ModelRouteInput): readonly RoutedModel[] | undefined {
    for (const plugin of this.parts.pipeline.routers) {
      const routed = plugin.routeModel!(model, input);
      if (routed !== undefined && routed.length > 0) return routed;
    }
    return undefined;
  }

  /** Requests running and waiting, per provider. */
  queueStats(): Record<string, { inFlight: number; waiting: number }> {
    const stats: Record<string, { inFlight: number; waiting: number }> = {};
    for (const runtime of this.parts.registry.values()) {
      stats[runtime.name] = { inFlight: runtime.queue.inFlight, waiting: runtime.queue.waiting };
    }
    return stats;
  }

  /** A chat completion. Rejects with a {@link GatewayError}. */
  chatCompletion(request: ChatRequest, options?: RequestOptions): Promise<ChatResponse> {
    return runRequest(this.parts, operations.chat_completion, request, options);
  }

  /** A legacy text completion. Rejects with a {@link GatewayError}. */
  textCompletion(request: TextCompletionRequest, options?: RequestOptions): Promise<TextCompletionResponse> {
    return runRequest(this.parts, operations.text_completion, request, options);
  }

  /** Embeddings for one input or many. Rejects with a {@link GatewayError}. */
  embedding(request: EmbeddingRequest, options?: RequestOptions): Promise<EmbeddingResponse> {
    return runRequest(this.parts, operations.embedding, request, options);
  }

  /**
   * A streamed chat completion. Resolves once a provider has accepted the stream, so retries and fallbacks
   * apply to everything that fails before the first chunk; then iterate the chunks.
   */
  chatCompletionStream(request: ChatRequest, options?: RequestOptions): Promise<ChatCompletionStream> {
    return runRequest(this.parts, operations.chat_completion_stream, request, options);
  }

  /** Lists the models of every configured provider (or one), asking each provider; failures are skipped and logged. */
  listModels(provider?: ProviderName, options?: RequestOptions): Promise<ModelInfo[]> {
    return listModels(this.parts, provider, options);
  }

  /** Stops accepting requests, flushes plugins and closes upstream connections once in-flight calls finish. */
  async shutdown(): Promise<void> {
    if (this.parts.lifecycle.closed) return;
    this.parts.lifecycle.closed = true;
    await this.parts.pipeline.cleanup();
    await this.parts.registry.close();
  }
}
