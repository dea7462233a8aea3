import type { BifrostError, BifrostRequest, PluginContext, PostHookOutcome } from '@bifrost/schemas';
import { pluginValueKeys } from '@bifrost/schemas';
import { isPromiseLike } from '../async/is-promise-like.js';
import { GatewayError } from '../errors/gateway-error.js';
import type { RequestScope } from './admission.js';
import type { AttemptOrigin } from './attempt-origin.js';
import type { EngineParts } from './engine-parts.js';
import type { Operation } from './operations.js';
import { runWithRetries } from './retry-loop.js';

const emptyHeaders: Readonly<Record<string, string>> = Object.freeze({});
const neverAborted = new AbortController().signal;

/**
 * One provider's turn, owning the whole plugin lifecycle for every kind of request: preHooks, then the retry loop
 * (unless a preHook answered), then postHooks. A stream's postHooks run when it ends, on the assembled answer; a
 * whole answer's run here. Without plugins the turn is the retry loop and nothing else.
 */
export async function runPluginAttempt<Request extends BifrostRequest, Result, Output>(
  parts: EngineParts,
  operation: Operation<Request, Result, Output>,
  request: Request,
  fallbackIndex: number,
  scope: RequestScope,
): Promise<Output> {
  const { pipeline, now } = parts;
  // A whole answer's latency counts from dispatch; a stream's from the start of its turn, hooks included.
  const turnStartedAt = now();
  if (scope.values === undefined) {
    const { result, retries } = await runWithRetries(parts, operation, request, scope);
    const origin = originOf(request, retries, fallbackIndex, turnStartedAt);
    return operation.deliver(result, origin, undefined, now);
  }
  let context = createContext(parts, operation, request, fallbackIndex, scope);
  let pre = pipeline.runPreHooks(context, request);
  if (isPromiseLike(pre)) pre = await pre;
  const current = pre.request as Request;
  if (current !== request) context = createContext(parts, operation, current, fallbackIndex, scope);
  const plugins = operation.streamed ? { pipeline, context, ran: pre.ran } : undefined;
  const origin = originOf(current, 0, fallbackIndex, turnStartedAt);

  let outcome: PostHookOutcome;
  let failure: GatewayError | undefined;
  const shortCircuit = pre.shortCircuit;
  if (shortCircuit !== undefined && 'error' in shortCircuit && shortCircuit.headers !== undefined) {
    // Headers (Retry-After on a refusal) ride on the error unless a postHook replaces it.
    failure = GatewayError.fromBifrostError(shortCircuit.error, shortCircuit.headers);
  }
  if (shortCircuit !== undefined && 'response' in shortCircuit && plugins !== undefined) {
    // A stream answered by a preHook is replayed, and its postHooks run at its end as for any stream.
    const replayed = operation.fromResponse(shortCircuit.response, origin, plugins, now);
    if (replayed !== undefined) return replayed;
    outcome = shortCircuit;
  } else if (shortCircuit !== undefined) {
    outcome = shortCircuit;
  } else {
    try {
      const dispatchedAt = now();
      const { result, retries } = await runWithRetries(parts, operation, current, scope);
      origin.retries = retries;
      if (plugins !== undefined) return operation.deliver(result, origin, plugins, now);
      if (!operation.streamed) origin.startedAt = dispatchedAt;
      outcome = {
        response: operation.deliver(result, origin, undefined, now) as PostHookOutcome['response'],
      };
    } catch (error) {
      failure = GatewayError.from(error, current);
      outcome = { error: failure.toBifrostError() };
    }
  }
  const sent: BifrostError | undefined = outcome.error;
  if (pipeline.hasPostHooks) outcome = await pipeline.runPostHooks(context, pre.ran, outcome);
  if (outcome.response !== undefined) {
    origin.retries = 0;
    const answer = operation.fromResponse(outcome.response, origin, undefined, now);
    if (answer !== undefined) return answer;
    if (sent === undefined) {
      throw new GatewayError(
        'plugin_error',
        `a plugin answered a ${operation.type} request with a ${outcome.response.object}`,
        { provider: current.provider, model: current.model },
      );
    }
  } else if (outcome.error !== sent) {
    throw GatewayError.fromBifrostError(outcome.error!);
  }
  // An error no postHook replaced keeps what the wire shape cannot carry (Retry-After, cause).
  throw failure ?? GatewayError.fromBifrostError(sent!);
}

function originOf(
  target: BifrostRequest,
  retries: number,
  fallbackIndex: number,
  startedAt: number,
): AttemptOrigin {
  return { provider: target.provider, model: target.model, retries, fallbackIndex, startedAt };
}

function createContext(
  parts: EngineParts,
  operation: Operation<never, unknown, unknown>,
  request: BifrostRequest,
  fallbackIndex: number,
  scope: RequestScope,
): PluginContext {
  const values = scope.values!;
  const options = scope.options;
  if (fallbackIndex > 0) {
    // What the engine noted about the previous attempt does not describe this one.
    values.delete(pluginValueKeys.queueWaitMs);
    values.delete(pluginValueKeys.retries);
  }
  const context: PluginContext = {
    requestId: scope.requestId,
    requestType: operation.type,
    provider: request.provider,
    model: request.model,
    fallbackIndex,
    headers: options?.headers ?? emptyHeaders,
    values,
    signal: options?.signal ?? neverAborted,
    startedAt: parts.now(),
  };
  // Kept apart from the context, which plugins read: a key is a secret.
  if (options?.key !== undefined) parts.callerKeys.set(context, options.key);
  if (options?.virtualKey !== undefined) parts.virtualKeys.set(context, options.virtualKey);
  return context;
}
