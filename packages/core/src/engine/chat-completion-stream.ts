import type { ChatStreamChunk, ExtraFields, PluginContext, ProviderName } from '@bifrost/schemas';
import { GatewayError } from '../errors/gateway-error.js';
import type { PluginPipeline } from '../pipeline/plugin-pipeline.js';
import type { ProviderStream } from '../providers/provider.js';
import { ChatStreamAccumulator } from '../streaming/chat-stream-accumulator.js';
import { forgetRawChunkJson } from '../streaming/raw-chunk-json.js';
import { type AttemptOrigin, extraFieldsOf } from './attempt-origin.js';

/** Plugin state a stream carries to its end, when postHooks run. */
export interface StreamPlugins {
  pipeline: PluginPipeline;
  context: PluginContext;
  ran: number;
}

/**
 * A streamed chat completion: iterate it for `chat.completion.chunk`s in order. The gateway's `extra_fields`
 * ride on the chunks that carry a finish reason or usage. Breaking out of the loop, or `cancel()`, stops the
 * upstream request.
 */
export class ChatCompletionStream implements AsyncIterable<ChatStreamChunk> {
  readonly provider: ProviderName;
  readonly model: string;
  readonly retries: number;
  readonly fallbackIndex: number;
  private readonly source: ProviderStream;
  private readonly origin: AttemptOrigin;
  private readonly plugins: StreamPlugins | undefined;
  private readonly now: () => number;
  private consumed = false;

  constructor(
    source: ProviderStream,
    origin: AttemptOrigin,
    plugins: StreamPlugins | undefined,
    now: () => number,
  ) {
    this.source = source;
    this.origin = origin;
    this.provider = origin.provider;
    this.model = origin.model;
    this.retries = origin.retries;
    this.fallbackIndex = origin.fallbackIndex;
    this.plugins = plugins;
    this.now = now;
  }

  /** Stops the upstream request; iteration ends. */
  cancel(): void {
    this.source.cancel();
  }

  [Symbol.asyncIterator](): AsyncIterator<ChatStreamChunk> {
    if (this.consumed) throw new TypeError('a ChatCompletionStream can be iterated only once');
    this.consumed = true;
    return this.iterate();
  }

  private extraFields(): ExtraFields {
    const fields = extraFieldsOf(this.origin, this.now());
    const warnings = this.source.warnings;
    if (warnings !== undefined && warnings.length > 0) fields.warnings = [...warnings];
    return fields;
  }

  private async *iterate(): AsyncGenerator<ChatStreamChunk> {
    const plugins = this.plugins;
    const accumulator = plugins?.pipeline.hasPostHooks ? new ChatStreamAccumulator() : undefined;
    let failure: GatewayError | undefined;
    try {
      for await (const chunk of this.source) {
        if (chunk.usage || hasFinishReason(chunk)) {
          forgetRawChunkJson(chunk);
          chunk.extra_fields = this.extraFields();
          if (plugins?.pipeline.hasClosingChunkHooks) {
            plugins.pipeline.runClosingChunkHooks(plugins.context, chunk);
          }
        }
        if (plugins?.pipeline.hasChunkHooks) {
          // A hook may change the chunk: its text as the provider sent it would no longer be the chunk.
          forgetRawChunkJson(chunk);
          plugins.pipeline.runChunkHooks(plugins.context, chunk);
        }
        accumulator?.add(chunk);
        yield chunk;
      }
    } catch (error) {
      failure = GatewayError.from(error, { provider: this.provider, model: this.model });
      throw failure;
    } finally {
      // Runs on completion, on error, and when the consumer stops early.
      this.source.cancel();
      if (plugins && accumulator) {
        const outcome = failure
          ? { error: failure.toBifrostError() }
          : { response: accumulator.toResponse(this.extraFields()) };
        await plugins.pipeline.runPostHooks(plugins.context, plugins.ran, outcome);
      }
    }
  }
}

function hasFinishReason(chunk: ChatStreamChunk): boolean {
  const choices = chunk.choices;
  for (let index = 0; index < choices.length; index++) {
    if (choices[index]!.finish_reason) return true;
  }
  return false;
}
