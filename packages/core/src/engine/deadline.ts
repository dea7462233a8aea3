import type { ProviderName } from '@bifrost/schemas';
import { GatewayError } from '../errors/gateway-error.js';

/**
 * `total_timeout_in_seconds` for one attempt: a signal that aborts with a `timeout` error when the time is up, or
 * with the caller's reason when the caller goes away first.
 */
export class Deadline {
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
