import { randomBytes } from 'node:crypto';
import type { Logger } from '@bifrost/schemas';
import { Redis } from 'ioredis';
import type { CounterWindow } from '../durations/reset-window.js';
import { windowEnd, windowStart } from '../durations/reset-window.js';
import type { Admission, CounterCheck, Counters, CounterUsage, FailMode, Reservation } from './counters.js';
import { admission, CountersUnavailableError, refusal } from './counters.js';
import { LocalFallback } from './local-fallback.js';
import { admitScript, chargeScript, seedScript, settleScript, usageScript } from './redis-scripts.js';

/** Options of {@link RedisCounters}. Give `url` or a ready-made `client`. */
export interface RedisCountersOptions {
  /** Where Redis listens, e.g. `redis://127.0.0.1:6379`. */
  url?: string;
  /** An ioredis client to use instead of `url`; it is not closed by {@link RedisCounters.close}. */
  client?: Redis;
  /** Prefix of every key. Put a hash tag in it (`{bifrost}:counters:`) to run on Redis Cluster. @default 'bifrost:counters:' */
  prefix?: string;
  /** What to do while Redis is unreachable. @default 'open' */
  failMode?: FailMode;
  /** How long an unsettled reservation keeps counting. @default 300_000 (5 minutes) */
  reservationTtlMs?: number;
  /** How long one command may take before Redis counts as unreachable. @default 500 */
  commandTimeoutMs?: number;
  /** While Redis answers but timed out, how often one request tries it again. @default 1000 */
  probeIntervalMs?: number;
  /** The time source for windows and reservation expiry, epoch ms. @default Date.now */
  clock?: () => number;
  /** Where the one warning per outage and the recovery notice go. */
  logger?: Pick<Logger, 'info' | 'warn'>;
}

type ScriptCall = (numberOfKeys: number, ...keysAndArguments: (string | number)[]) => Promise<unknown>;
interface ScriptClient {
  bifrostAdmit: ScriptCall;
  bifrostSettle: ScriptCall;
  bifrostCharge: ScriptCall;
  bifrostUsage: ScriptCall;
  bifrostSeed: ScriptCall;
}

const silent = { info() {}, warn() {} };

/**
 * Counters shared by every gateway instance through Redis, with the same semantics as {@link MemoryCounters}.
 *
 * Admissions (`consume`, `consumeRequest`, `reserve`) are exact: one atomic script call per admission, which
 * ioredis's auto-pipelining sends with the other requests of the same tick in one write. Settling, charging
 * and reading go through Redis too but are not on the admission path. While Redis is unreachable, fail
 * `open` admits on counters in this process, seeded with the last totals Redis reported, and fail `closed`
 * refuses with {@link CountersUnavailableError}. What this instance consumed during the outage is sent to Redis
 * once when it returns, as charges on windows that are still current; nothing else is replayed.
 */
export class RedisCounters implements Counters {
  readonly #client: Redis;
  readonly #scripts: ScriptClient;
  readonly #ownsClient: boolean;
  readonly #prefix: string;
  readonly #failMode: FailMode;
  readonly #reservationTtlMs: number;
  readonly #probeIntervalMs: number;
  readonly #clock: () => number;
  readonly #logger: Pick<Logger, 'info' | 'warn'>;
  readonly #instanceId = randomBytes(6).toString('base64url');
  #sequence = 0;
  #outageSince: number | undefined;
  #nextProbe = 0;
  #flushing: Promise<void> | undefined;
  readonly #fallbackState: LocalFallback;

  constructor(options: RedisCountersOptions) {
    const {
      url,
      client,
      prefix = 'bifrost:counters:',
      failMode = 'open',
      reservationTtlMs = 300_000,
    } = options;
    const { commandTimeoutMs = 500, probeIntervalMs = 1000, clock = Date.now, logger = silent } = options;
    if (client === undefined && url === undefined)
      throw new TypeError('RedisCounters needs a url or a client');
    this.#client =
      client ??
      new Redis(url as string, {
        enableAutoPipelining: true,
        // Fail fast while disconnected, and never resend a half-answered admission after reconnecting.
        enableOfflineQueue: false,
        autoResendUnfulfilledCommands: false,
        maxRetriesPerRequest: 0,
        commandTimeout: commandTimeoutMs,
        retryStrategy: (attempt) => Math.min(50 * attempt, 1000),
      });
    this.#ownsClient = client === undefined;
    this.#prefix = prefix;
    this.#failMode = failMode;
    this.#reservationTtlMs = reservationTtlMs;
    this.#probeIntervalMs = probeIntervalMs;
    this.#clock = clock;
    this.#logger = logger;
    this.#fallbackState = new LocalFallback(clock, reservationTtlMs, `${this.#instanceId}:local:`);
    // defineCommand sends EVALSHA and falls back to EVAL when Redis answers NOSCRIPT (after a restart or flush).
    this.#client.defineCommand('bifrostAdmit', { lua: admitScript });
    this.#client.defineCommand('bifrostSettle', { lua: settleScript });
    this.#client.defineCommand('bifrostCharge', { lua: chargeScript });
    this.#client.defineCommand('bifrostUsage', { lua: usageScript });
    this.#client.defineCommand('bifrostSeed', { lua: seedScript });
    this.#scripts = this.#client as unknown as ScriptClient;
    this.#client.on('error', this.#onConnectionError);
    this.#client.on('close', this.#onConnectionError);
    this.#client.on('ready', this.#onReady);
  }

  /** `shared` while Redis answers, `outage` while it does not. */
  get mode(): 'shared' | 'outage' {
    return this.#outageSince === undefined && this.#client.status === 'ready' ? 'shared' : 'outage';
  }

  /** Resolves once connected; rejects with {@link CountersUnavailableError} after `timeoutMs`. */
  async ready(timeoutMs = 5000): Promise<void> {
    if (this.#client.status === 'ready') return;
    const since = this.#clock();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#client.off('ready', onReady);
        reject(new CountersUnavailableError(since));
      }, timeoutMs);
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      this.#client.once('ready', onReady);
    });
  }

  consumeRequest(key: string, limit: number, window: CounterWindow): Admission | Promise<Admission> {
    return this.#admit([{ key, limit, window, amount: 1 }], false);
  }

  consume(checks: readonly CounterCheck[]): Admission | Promise<Admission> {
    return this.#admit(checks, false);
  }

  reserve(checks: readonly CounterCheck[]): Admission | Promise<Admission> {
    return this.#admit(checks, true);
  }

  settle(reservation: Reservation, actual: readonly number[]): void | Promise<void> {
    const now = this.#clock();
    if (this.#fallbackState.owns(reservation)) {
      this.#fallbackState.settleLocal(reservation, actual, now);
      return this.#flushIfShared();
    }
    if (!this.#shared(now)) return this.#fallbackState.rememberAll(reservation, actual, now);
    const keys: string[] = [];
    const values: (string | number)[] = [now, reservation.id];
    reservation.checks.forEach((check, index) => {
      const start = windowStart(now, check.window.duration, check.window.mode, check.window.anchor);
      keys.push(this.#prefix + check.key, `${this.#prefix + check.key}:r`);
      values.push(
        start,
        windowEnd(start, check.window.duration, check.window.mode),
        check.amount,
        actual[index] ?? check.amount,
      );
    });
    return this.#scripts.bifrostSettle(keys.length, ...keys, ...values).then(
      () => undefined,
      (error: unknown) => {
        // The reservation in Redis expires by itself; the real usage is sent when Redis answers again.
        this.#enterOutage(this.#clock(), error);
        this.#fallbackState.rememberAll(reservation, actual, this.#clock());
      },
    );
  }

  release(reservation: Reservation): void | Promise<void> {
    return this.settle(
      reservation,
      reservation.checks.map(() => 0),
    );
  }

  charge(key: string, window: CounterWindow, amount: number): void | Promise<void> {
    const now = this.#clock();
    if (this.#outageSince !== undefined) this.#fallbackState.chargeLocal(key, window, amount);
    this.#fallbackState.remember(key, window, amount, now);
    return this.#flushIfShared();
  }

  seed(key: string, window: CounterWindow, amount: number): void | Promise<void> {
    const now = this.#clock();
    if (!this.#shared(now)) {
      // Local counts only: the seed is not sent to Redis later, which keeps (or will be seeded with) its own.
      this.#fallbackState.chargeLocal(key, window, amount);
      return;
    }
    const start = windowStart(now, window.duration, window.mode, window.anchor);
    const end = windowEnd(start, window.duration, window.mode);
    return this.#scripts.bifrostSeed(1, this.#prefix + key, now, start, end, amount).then(
      () => undefined,
      (error: unknown) => this.#enterOutage(this.#clock(), error),
    );
  }

  usage(key: string, window: CounterWindow): CounterUsage | Promise<CounterUsage> {
    const now = this.#clock();
    if (!this.#shared(now)) return this.#fallback(now, () => this.#fallbackState.usage(key, window));
    const start = windowStart(now, window.duration, window.mode, window.anchor);
    const resetAt = windowEnd(start, window.duration, window.mode);
    return this.#scripts
      .bifrostUsage(2, this.#prefix + key, `${this.#prefix + key}:r`, now, start)
      .then((reply) => {
        const [used, reserved] = reply as [string, string];
        return { used: Number(used), reserved: Number(reserved), windowStart: start, resetAt };
      });
  }

  async close(): Promise<void> {
    this.#client.off('error', this.#onConnectionError);
    this.#client.off('close', this.#onConnectionError);
    this.#client.off('ready', this.#onReady);
    if (!this.#ownsClient) return;
    try {
      await this.#client.quit();
    } catch {
      this.#client.disconnect();
    }
  }

  #admit(checks: readonly CounterCheck[], reserve: boolean): Admission | Promise<Admission> {
    const now = this.#clock();
    if (!this.#shared(now)) return this.#fallback(now, () => this.#fallbackState.admit(checks, reserve, now));
    const id = reserve ? `${this.#instanceId}:${++this.#sequence}` : '';
    const expiresAt = now + this.#reservationTtlMs;
    const keys: string[] = [];
    const values: (string | number)[] = [now, id, expiresAt];
    const starts: number[] = [];
    const ends: number[] = [];
    for (const check of checks) {
      const start = windowStart(now, check.window.duration, check.window.mode, check.window.anchor);
      const end = windowEnd(start, check.window.duration, check.window.mode);
      starts.push(start);
      ends.push(end);
      keys.push(this.#prefix + check.key, `${this.#prefix + check.key}:r`);
      values.push(check.limit, start, end, check.amount);
    }
    return this.#scripts.bifrostAdmit(keys.length, ...keys, ...values).then(
      (reply) => {
        if (this.#outageSince !== undefined) void this.#recover();
        const reservation = reserve ? { id, checks, expiresAt } : undefined;
        return this.#toAdmission(reply as (string | number)[], checks, starts, ends, reservation);
      },
      (error: unknown) => {
        const later = this.#clock();
        this.#enterOutage(later, error);
        return this.#fallback(later, () => this.#fallbackState.admit(checks, reserve, later));
      },
    );
  }

  #toAdmission(
    reply: (string | number)[],
    checks: readonly CounterCheck[],
    starts: number[],
    ends: number[],
    reservation: Reservation | undefined,
  ): Admission {
    const refused = Number(reply[1]);
    if (Number(reply[0]) !== 1) {
      return refusal(checks, refused - 1, ends[refused - 1] as number);
    }
    let tightest = 0;
    let tightestRemaining = Number.POSITIVE_INFINITY;
    for (let index = 0; index < checks.length; index++) {
      const check = checks[index] as CounterCheck;
      const total = Number(reply[2 + 2 * index]) + Number(reply[3 + 2 * index]);
      this.#fallbackState.snapshot(check.key, starts[index] as number, total);
      if (check.limit - total < tightestRemaining) {
        tightest = index;
        tightestRemaining = check.limit - total;
      }
    }
    return admission(checks, tightest, tightestRemaining, ends[tightest] as number, reservation);
  }

  /** True when this call should go to Redis; a timed-out Redis gets one probing call per interval. */
  #shared(now: number): boolean {
    if (this.#client.status !== 'ready') {
      this.#enterOutage(now, undefined);
      return false;
    }
    if (this.#outageSince === undefined) return true;
    if (now < this.#nextProbe) return false;
    this.#nextProbe = now + this.#probeIntervalMs;
    return true;
  }

  #fallback<T>(now: number, run: () => T): T | Promise<never> {
    const since = this.#outageSince ?? now;
    if (this.#failMode === 'closed') return Promise.reject(new CountersUnavailableError(since));
    return run();
  }

  #flushIfShared(): void | Promise<void> {
    if (this.#outageSince !== undefined || this.#client.status !== 'ready') return;
    return this.#flush();
  }

  /** Sends the remembered charges in one script call; on failure they stay remembered for next time. */
  #flush(): Promise<void> {
    if (this.#flushing !== undefined) return this.#flushing.then(() => this.#flush());
    const now = this.#clock();
    const charges = this.#fallbackState.takeCharges(now);
    if (charges.length === 0) return Promise.resolve();
    const values: number[] = [now];
    for (const charge of charges) values.push(charge.windowStart, charge.windowEnd, charge.amount);
    const keys = charges.map((charge) => this.#prefix + charge.key);
    this.#flushing = this.#scripts.bifrostCharge(keys.length, ...keys, ...values).then(
      () => {
        this.#flushing = undefined;
      },
      (error: unknown) => {
        this.#flushing = undefined;
        this.#fallbackState.restoreCharges(charges);
        this.#enterOutage(this.#clock(), error);
      },
    );
    return this.#flushing;
  }

  #enterOutage(now: number, error: unknown): void {
    if (this.#outageSince !== undefined) return;
    this.#outageSince = now;
    this.#nextProbe = now + this.#probeIntervalMs;
    const reason = error instanceof Error ? error.message : 'not connected';
    this.#logger.warn(
      this.#failMode === 'open'
        ? 'governance counters: Redis unreachable; counting in this instance alone until it returns'
        : 'governance counters: Redis unreachable; refusing governed requests until it returns',
      { reason },
    );
  }

  async #recover(): Promise<void> {
    const since = this.#outageSince;
    if (since === undefined) return;
    this.#outageSince = undefined;
    this.#fallbackState.endOutage();
    const charges = this.#fallbackState.pendingCount;
    await this.#flush();
    if (this.#outageSince === undefined) {
      this.#logger.info('governance counters: Redis reachable again', {
        outage_ms: this.#clock() - since,
        charges,
      });
    }
  }

  readonly #onConnectionError = (error?: unknown): void => {
    this.#enterOutage(this.#clock(), error);
  };

  readonly #onReady = (): void => {
    void this.#recover();
  };
}
