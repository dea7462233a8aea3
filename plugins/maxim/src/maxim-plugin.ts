import { randomUUID } from 'node:crypto';
import type { BifrostRequest, Logger, Plugin, PluginContext, PostHookOutcome } from '@bifrost/schemas';
import { type GenerationConfig, Maxim, type MaximLogger } from '@maximai/maxim-js';
import {
  toMaximError,
  toMaximMessages,
  toMaximResult,
  traceInputOf,
  traceOutputOf,
} from './convert-to-maxim.js';
import { isMaximId, type MaximHeaders, readMaximHeaders } from './maxim-headers.js';
import { type MaximPluginConfig, resolveMaximConfig } from './maxim-plugin-config.js';

/** What the factory takes besides its config; the config loader passes its own context, which fits. */
export interface MaximPluginContext {
  /** Where logging failures are reported. @default a logger that drops everything */
  logger?: Logger;
  /** Read for `MAXIM_API_KEY` and `MAXIM_LOG_REPO_ID`. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** Makes trace and generation ids when a request brings none. @default crypto.randomUUID */
  generateId?: () => string;
  /** The wall clock Maxim's timestamps come from. @default () => new Date() */
  now?: () => Date;
  /** How long `cleanup()` waits for the last logs to reach Maxim before giving up on them. @default 10_000 */
  flushTimeoutMs?: number;
}

/** The plugin's name, as it appears in gateway logs. */
export const maximPluginName = 'maxim';

/** What the preHook leaves for the postHook of the same attempt. */
interface AttemptState {
  request: BifrostRequest;
  headers: MaximHeaders;
  startedAt: Date;
}

/** What all attempts of a request (the primary and its fallbacks) share. */
interface TraceState {
  traceId: string;
  /** Whether the plugin created the trace, and so ends it; a trace named by header is the caller's. */
  owned: boolean;
  started: boolean;
}

/** How many log repositories `x-bf-maxim-log-repo-id` may spread one gateway's logs over. */
const maxLogRepositories = 100;

const attemptKey = 'maxim.attempt';
const traceKey = 'maxim.trace';

const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Creates the Maxim plugin: every chat and text completion, streamed or not, is logged as a Maxim trace with one
 * generation per attempt (provider, model, messages, parameters, then output and usage, or the error).
 *
 * Logging happens after the answer is known and in the background: the Maxim SDK batches logs and sends them
 * every few seconds, and a failure to send is reported to the logger, never to the caller. `cleanup()` flushes.
 *
 * @throws MaximConfigError when `api_key` or `log_repo_id` is missing from both the config and the environment.
 * @example
 * const bifrost = await Bifrost.init({ account, plugins: [maximPlugin({ log_repo_id: 'my-repo' })] });
 */
export function maximPlugin(config: MaximPluginConfig = {}, context: MaximPluginContext = {}): Plugin {
  const {
    logger = silentLogger,
    env = process.env,
    generateId = randomUUID,
    now = () => new Date(),
    flushTimeoutMs = 10_000,
  } = context;
  const { apiKey, logRepoId, baseUrl } = resolveMaximConfig(config, env);
  const maxim = new Maxim({ apiKey, ...(baseUrl === undefined ? {} : { baseUrl }) });
  const loggers = new Map<string, Promise<MaximLogger | undefined>>();
  /** Logs being handed to the SDK, so that cleanup flushes them too. */
  const pending = new Set<Promise<void>>();

  const loggerFor = (repoId: string): Promise<MaximLogger | undefined> => {
    let created = loggers.get(repoId);
    if (created === undefined) {
      created = maxim.logger({ id: repoId });
      loggers.set(repoId, created);
    }
    return created;
  };
  // Start the default repository's logger now, so its existence check runs at startup rather than on traffic.
  void loggerFor(logRepoId).catch(() => undefined);

  const repoIdFor = (headers: MaximHeaders): string => {
    const requested = headers.logRepoId;
    if (requested === undefined) return logRepoId;
    // The SDK puts the id into a URL unescaped; anything but an id-shaped value goes to the configured repository.
    if (!isMaximId(requested)) {
      logger.warn('ignoring an invalid x-bf-maxim-log-repo-id', { value: requested });
      return logRepoId;
    }
    // Each repository costs the SDK a logger with its own buffer and timer; callers must not grow them unbounded.
    if (!loggers.has(requested) && loggers.size >= maxLogRepositories) {
      logger.warn('too many log repositories requested; logging to the configured one', { value: requested });
      return logRepoId;
    }
    return requested;
  };

  const idFrom = (header: 'trace' | 'generation', value: string | undefined): string | undefined => {
    if (value === undefined) return undefined;
    if (isMaximId(value)) return value;
    // Maxim drops entities whose id has other characters; a fresh id keeps the log.
    logger.warn(`ignoring an invalid x-bf-maxim-${header}-id`, { value });
    return undefined;
  };

  const record = async (context: PluginContext, attempt: AttemptState, outcome: PostHookOutcome) => {
    const endedAt = now();
    const { request, headers } = attempt;
    const messages = toMaximMessages(request);
    if (messages === undefined) return;
    const trace = traceStateOf(context, headers);
    const target = await loggerFor(repoIdFor(headers));
    if (target === undefined) return; // the SDK has already said why

    if (!trace.started) {
      trace.started = true;
      if (trace.owned) {
        target.trace({
          id: trace.traceId,
          name: headers.traceName ?? context.requestType,
          ...(headers.sessionId === undefined ? {} : { sessionId: headers.sessionId }),
          tags: headers.tags,
          startTimestamp: attempt.startedAt,
        });
        const input = traceInputOf(request);
        if (input !== undefined) target.traceInput(trace.traceId, input);
      } else {
        for (const [key, value] of Object.entries(headers.tags)) target.traceTag(trace.traceId, key, value);
        if (headers.sessionId !== undefined) target.traceAddToSession(trace.traceId, headers.sessionId);
      }
    }

    // A fallback's generation gets its own id: derived from the caller's, so it can be found, or a fresh one.
    const idFromHeader = idFrom('generation', headers.generationId);
    const generationId =
      idFromHeader === undefined
        ? generateId()
        : context.fallbackIndex === 0
          ? idFromHeader
          : `${idFromHeader}-fallback-${context.fallbackIndex}`;
    target.traceGeneration(trace.traceId, {
      id: generationId,
      name: headers.generationName ?? `${context.provider}/${context.model}`,
      // Maxim takes any provider name; the SDK's type lists only the ones it has integrations for.
      provider: context.provider as GenerationConfig['provider'],
      model: context.model,
      messages,
      modelParameters: { ...request.params },
      startTimestamp: attempt.startedAt,
    });

    if (outcome.response !== undefined) {
      const result = toMaximResult(outcome.response);
      if (result !== undefined) target.generationResult(generationId, result);
      const output = traceOutputOf(outcome.response);
      if (trace.owned && output !== undefined) target.traceOutput(trace.traceId, output);
    } else if (outcome.error !== undefined) {
      target.generationError(generationId, toMaximError(outcome.error));
    }
    // Each attempt ends the trace again; the last attempt's end is the one that stands.
    if (trace.owned) target.traceEnd(trace.traceId, { endTimestamp: endedAt });
  };

  const traceStateOf = (context: PluginContext, headers: MaximHeaders): TraceState => {
    let state = context.values.get(traceKey) as TraceState | undefined;
    if (state === undefined) {
      const traceId = idFrom('trace', headers.traceId);
      state = {
        traceId: traceId ?? (isMaximId(context.requestId) ? context.requestId : generateId()),
        owned: traceId === undefined,
        started: false,
      };
      context.values.set(traceKey, state);
    }
    return state;
  };

  return {
    name: maximPluginName,

    preHook(context, request) {
      if (context.requestType === 'embedding') return;
      const attempt: AttemptState = { request, headers: readMaximHeaders(context.headers), startedAt: now() };
      context.values.set(attemptKey, attempt);
    },

    postHook(context, outcome) {
      const attempt = context.values.get(attemptKey) as AttemptState | undefined;
      if (attempt === undefined) return;
      context.values.delete(attemptKey);
      // Fire and forget: the answer goes back to the caller whatever happens to its log.
      const recording = record(context, attempt, outcome)
        .catch((error: unknown) => {
          logger.warn('could not log to Maxim', {
            error: error instanceof Error ? error.message : String(error),
          });
        })
        .finally(() => pending.delete(recording));
      pending.add(recording);
    },

    async cleanup() {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), flushTimeoutMs);
      });
      const flushed = Promise.allSettled(pending).then(() => maxim.cleanup());
      try {
        const finished = await Promise.race([flushed.then(() => 'flushed' as const), timeout]);
        if (finished === 'timeout') logger.warn('gave up flushing logs to Maxim at shutdown');
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
