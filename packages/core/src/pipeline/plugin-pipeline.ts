import type {
  BifrostRequest,
  ChatStreamChunk,
  Logger,
  Plugin,
  PluginContext,
  PostHookOutcome,
  ShortCircuit,
} from '@bifrost/schemas';
import { isPromiseLike } from '../async/is-promise-like.js';

/** What running the preHooks produced. */
export interface PreHookRun {
  /** The request after every preHook had its say. */
  request: BifrostRequest;
  shortCircuit: ShortCircuit | undefined;
  /** How many plugins' preHooks ran; their postHooks, and only theirs, run afterwards. */
  ran: number;
}

/**
 * Runs plugins around a request: preHooks in registration order, postHooks in reverse for the plugins whose
 * preHook ran. A hook that throws is logged and skipped; the request goes on as if the hook were absent.
 */
export class PluginPipeline {
  readonly plugins: readonly Plugin[];
  readonly hasPreHooks: boolean;
  readonly hasPostHooks: boolean;
  /** The plugins that route models naming no provider, in order. */
  readonly routers: readonly Plugin[];
  readonly hasChunkHooks: boolean;
  /** Whether some plugin watches the chunks that close a stream (finish reason, usage). */
  readonly hasClosingChunkHooks: boolean;
  private readonly logger: Logger;

  constructor(plugins: readonly Plugin[], logger: Logger) {
    this.plugins = plugins;
    this.logger = logger;
    this.hasPreHooks = plugins.some((plugin) => plugin.preHook !== undefined);
    this.hasPostHooks = plugins.some((plugin) => plugin.postHook !== undefined);
    this.routers = plugins.filter((plugin) => plugin.routeModel !== undefined);
    this.hasChunkHooks = plugins.some((plugin) => plugin.onStreamChunk !== undefined);
    this.hasClosingChunkHooks = plugins.some((plugin) => plugin.onClosingStreamChunk !== undefined);
  }

  get isEmpty(): boolean {
    return this.plugins.length === 0;
  }

  /** Synchronous when no plugin has a preHook (metrics-only setups), so that case costs no promise. */
  runPreHooks(context: PluginContext, request: BifrostRequest): PreHookRun | Promise<PreHookRun> {
    if (!this.hasPreHooks) return { request, shortCircuit: undefined, ran: this.plugins.length };
    return this.runEachPreHook(context, request);
  }

  private async runEachPreHook(context: PluginContext, request: BifrostRequest): Promise<PreHookRun> {
    let current = request;
    for (let index = 0; index < this.plugins.length; index++) {
      const plugin = this.plugins[index]!;
      if (!plugin.preHook) continue;
      try {
        let result = plugin.preHook(context, current);
        // Synchronous hooks cost no microtask.
        if (isPromiseLike(result)) result = await result;
        if (!result) continue;
        if (result.request) current = result.request;
        if (result.shortCircuit)
          return { request: current, shortCircuit: result.shortCircuit, ran: index + 1 };
      } catch (error) {
        this.logger.error('plugin preHook failed; skipping it', {
          plugin: plugin.name,
          error: describe(error),
        });
      }
    }
    return { request: current, shortCircuit: undefined, ran: this.plugins.length };
  }

  async runPostHooks(
    context: PluginContext,
    ran: number,
    outcome: PostHookOutcome,
  ): Promise<PostHookOutcome> {
    let current = outcome;
    for (let index = ran - 1; index >= 0; index--) {
      const plugin = this.plugins[index]!;
      if (!plugin.postHook) continue;
      try {
        let result = plugin.postHook(context, current);
        if (isPromiseLike(result)) result = await result;
        if (!result) continue;
        if (result.response === undefined && result.error === undefined) {
          this.logger.warn('plugin postHook returned neither response nor error; ignoring it', {
            plugin: plugin.name,
          });
          continue;
        }
        // A response wins: a hook that recovers from an error returns the response alone.
        current = result.response !== undefined ? { response: result.response } : { error: result.error };
      } catch (error) {
        this.logger.error('plugin postHook failed; skipping it', {
          plugin: plugin.name,
          error: describe(error),
        });
      }
    }
    return current;
  }

  runChunkHooks(context: PluginContext, chunk: ChatStreamChunk): void {
    for (const plugin of this.plugins) {
      if (plugin.onStreamChunk) this.runChunkHook(plugin, 'onStreamChunk', context, chunk);
    }
  }

  runClosingChunkHooks(context: PluginContext, chunk: ChatStreamChunk): void {
    for (const plugin of this.plugins) {
      if (plugin.onClosingStreamChunk) this.runChunkHook(plugin, 'onClosingStreamChunk', context, chunk);
    }
  }

  private runChunkHook(
    plugin: Plugin,
    hook: 'onStreamChunk' | 'onClosingStreamChunk',
    context: PluginContext,
    chunk: ChatStreamChunk,
  ): void {
    try {
      plugin[hook]!(context, chunk);
    } catch (error) {
      this.logger.error(`plugin ${hook} failed; skipping it`, {
        plugin: plugin.name,
        error: describe(error),
      });
    }
  }

  async cleanup(): Promise<void> {
    for (const plugin of this.plugins) {
      try {
        await plugin.cleanup?.();
      } catch (error) {
        this.logger.error('plugin cleanup failed', { plugin: plugin.name, error: describe(error) });
      }
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
