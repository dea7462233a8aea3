import type { BifrostRequest, Key } from '@bifrost/schemas';
import { pluginValueKeys } from '@bifrost/schemas';
import { isPromiseLike } from '../async/is-promise-like.js';
import { abortedError } from '../errors/abort-reason.js';
import { GatewayError } from '../errors/gateway-error.js';
import { redactUpstreamError } from '../errors/redact-upstream-error.js';
import { computeBackoff, sleep } from '../retry/backoff.js';
import type { RequestScope } from './admission.js';
import { Deadline } from './deadline.js';
import type { EngineParts } from './engine-parts.js';
import type { Operation } from './operations.js';
import { resolveTarget } from './resolve-target.js';

/** A `Retry-After` longer than this is not waited out; the error goes back (or on to a fallback) at once. */
const maxRetryAfterMs = 60_000;

/** Upper bound on moving a request to another key after refusals, whatever the number of keys. */
const maxKeySwitches = 8;

const noDeadline = (): void => {};

/** A provider's accepted answer and how many retries it took. */
export interface RetriedResult<Result> {
  result: Result;
  retries: number;
}

/**
 * The retry loop: take a queue slot, pick a key, call; on a retryable failure release the slot, wait out the
 * backoff (or the provider's `Retry-After`) and go again, up to `max_retries` times. A key the provider refused
 * is set aside and the request moves to another key at once. With plugins loaded it leaves the queue wait and
 * retry count in the request's values, under {@link pluginValueKeys}.
 */
export async function runWithRetries<Request extends BifrostRequest, Result>(
  parts: EngineParts,
  operation: Operation<Request, Result, unknown>,
  request: Request,
  scope: RequestScope,
): Promise<RetriedResult<Result>> {
  const runtime = resolveTarget(parts.registry, request);
  const network = runtime.config.network_config;
  const { values, options } = scope;
  const signal = options?.signal;
  const callerKey = options?.key;
  // Moves to another key after one was refused; they do not use up max_retries but are reported as retries.
  let keySwitches = 0;
  for (let attempt = 0; ; attempt++) {
    const waiting = runtime.queue.acquire(signal);
    if (waiting) {
      // Timed only when the queue was full, and only for plugins: a free slot costs no clock read.
      const queuedAt = values ? parts.now() : 0;
      try {
        await waiting;
      } finally {
        // A wait that ran out (max_queue_wait_in_seconds) is a wait too: metrics must see it.
        if (values) {
          const before = (values.get(pluginValueKeys.queueWaitMs) as number | undefined) ?? 0;
          values.set(pluginValueKeys.queueWaitMs, before + parts.now() - queuedAt);
        }
      }
    }
    let failure: GatewayError;
    let key: Key | undefined;
    let deadline: Deadline | undefined;
    try {
      const picked =
        callerKey ??
        parts.keys.pick(
          runtime,
          request.model,
          values?.get(pluginValueKeys.allowedKeyIds) as readonly string[] | undefined,
        );
      key = isPromiseLike(picked) ? await picked : picked;
      if (runtime.timeouts.totalMs !== undefined) {
        deadline = new Deadline(signal, runtime.timeouts.totalMs, request);
      }
      const called = await operation.call(runtime.provider, request, {
        key,
        signal: deadline?.signal ?? signal,
      });
      let result = operation.accept(called, runtime, request, key, deadline?.clear ?? noDeadline);
      if (isPromiseLike(result)) result = await result;
      values?.set(pluginValueKeys.retries, attempt + keySwitches);
      return { result, retries: attempt + keySwitches };
    } catch (error) {
      deadline?.clear();
      // Whatever path the error took (an error status, an error object in a 200, a broken stream), the key the
      // call went out with never leaves in it.
      failure = GatewayError.from(key === undefined ? error : redactUpstreamError(error, key.value), request);
    } finally {
      runtime.queue.release();
    }
    if (key !== undefined && callerKey === undefined && !signal?.aborted) {
      const switched = await parts.keys.setAside(runtime, request.model, key, failure);
      if (switched && keySwitches < maxKeySwitches) {
        keySwitches++;
        attempt--;
        parts.logger.debug('trying another key', { provider: request.provider, reason: failure.code });
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
        parts.random,
      );
    parts.logger.debug('retrying', {
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
