import type { EventEmitter } from 'node:events';
import { buildConnector, Client, Dispatcher, errors, type Pool } from 'undici';

/** One connection of the pool and what the pool knows about it. */
interface PooledClient {
  readonly client: Dispatcher;
  /** Handed a request and not yet drained: never on the idle stack while true. */
  busy: boolean;
  /** Failed to connect, or closed by the pool: never handed out again. */
  removed: boolean;
}

/** A request waiting for a free connection. */
interface WaitingRequest {
  readonly options: Dispatcher.DispatchOptions;
  readonly handler: Dispatcher.DispatchHandler;
  /** Removes the abort listener; set only when the request carries a signal. */
  stopListening?: () => void;
  /** Aborted while waiting, and already failed: skipped when dequeued. */
  cancelled: boolean;
}

type Callback = () => void;

const noop = () => {};

/**
 * A per-origin connection pool whose choice of connection costs the same however many connections are open.
 *
 * undici's `Pool` scans every client for one that is not busy, so each request costs O(connections). This pool
 * keeps a stack of idle clients and a FIFO of requests waiting for one: a client whose `dispatch` returns false
 * is busy until it emits `drain`, when it takes the oldest waiting request or goes back on the stack. It emits
 * `connect`, `disconnect`, `connectionError` and `drain` as undici's `Agent` expects of the pools it owns.
 *
 * @example
 * new Agent({ connections: 64, factory: (origin, options) => new FreeListPool(origin, options) });
 */
export class FreeListPool extends Dispatcher {
  readonly #origin: URL;
  readonly #connections: number;
  readonly #clientOptions: Client.Options;
  readonly #factory: NonNullable<Pool.Options['factory']>;
  readonly #clients = new Set<PooledClient>();
  readonly #idle: PooledClient[] = [];
  readonly #waiting = new WaitingQueue();
  /** A dispatch returned false: emit `drain` once a connection is free again. */
  #needDrain = false;
  #closed = false;
  #closing: Promise<void> | undefined;
  #destroyed = false;
  /** Set while `close()` waits for the waiting requests to be handed out. */
  #onWaitingEmpty: Callback | undefined;

  /** Takes the options undici's `Agent` hands its pool factory (those of `Pool`, `factory` making one client). */
  constructor(origin: string | URL, options: Pool.Options = {}) {
    super();
    const {
      connections,
      connect,
      connectTimeout,
      tls,
      maxCachedSessions,
      socketPath,
      autoSelectFamily,
      autoSelectFamilyAttemptTimeout,
      allowH2,
      factory = createClient,
      clientTtl: _clientTtl,
      ...clientOptions
    } = options as Pool.Options & { tls?: object };
    if (connections != null && (!Number.isFinite(connections) || connections < 0)) {
      throw new errors.InvalidArgumentError('invalid connections');
    }
    this.#origin = typeof origin === 'string' ? new URL(origin) : origin;
    this.#factory = factory;
    this.#connections = connections || Number.POSITIVE_INFINITY;
    // One connector for every client, as `Pool` does, so TLS sessions are shared.
    const connector =
      typeof connect === 'function'
        ? connect
        : buildConnector({
            ...(tls as object | undefined),
            maxCachedSessions,
            allowH2,
            socketPath,
            timeout: connectTimeout,
            ...(typeof autoSelectFamily === 'boolean'
              ? { autoSelectFamily, autoSelectFamilyAttemptTimeout }
              : {}),
            ...connect,
          } as buildConnector.BuildOptions);
    this.#clientOptions = { ...clientOptions, connect: connector, allowH2, socketPath };
  }

  /** Whether `close()` has been called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Whether `destroy()` has been called. */
  get destroyed(): boolean {
    return this.#destroyed;
  }

  /** Hands the request to an idle connection, a new one while under the limit, or queues it; false when full. */
  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    if (this.#destroyed || this.#closed) {
      const error = this.#destroyed ? new errors.ClientDestroyedError() : new errors.ClientClosedError();
      if (typeof handler.onError !== 'function') throw error;
      handler.onError(error);
      return false;
    }
    const pooled = this.#popIdle() ?? this.#addClient();
    if (pooled === undefined) {
      this.#enqueue(options, handler);
      this.#needDrain = true;
      return false;
    }
    this.#send(pooled, options, handler);
    this.#needDrain = !this.#hasCapacity();
    return !this.#needDrain;
  }

  /** Waits for in-flight and waiting requests, then closes every connection. */
  override close(): Promise<void>;
  override close(callback: Callback): void;
  override close(callback?: Callback): Promise<void> | void {
    const done = this.#closeAll();
    if (callback === undefined) return done;
    done.then(callback, callback);
  }

  /** Fails waiting requests with `error` and destroys every connection, failing the requests in flight. */
  override destroy(): Promise<void>;
  override destroy(error: Error | null): Promise<void>;
  override destroy(callback: Callback): void;
  override destroy(error: Error | null, callback: Callback): void;
  override destroy(errorOrCallback?: Error | null | Callback, callback?: Callback): Promise<void> | void {
    const error = typeof errorOrCallback === 'function' ? null : errorOrCallback;
    const done = this.#destroyAll(error ?? new errors.ClientDestroyedError());
    const after = typeof errorOrCallback === 'function' ? errorOrCallback : callback;
    if (after === undefined) return done;
    done.then(after, after);
  }

  #closeAll(): Promise<void> {
    if (this.#destroyed) return Promise.reject(new errors.ClientDestroyedError());
    if (this.#closing !== undefined) return this.#closing;
    this.#closed = true;
    const waited = this.#waiting.isEmpty()
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          this.#onWaitingEmpty = resolve;
        });
    // Never rejects: undici's Agent closes a pool whose connections have all gone without awaiting it.
    this.#closing = waited.then(() =>
      Promise.all(
        [...this.#clients].map(({ client }) =>
          isDestroyed(client) ? undefined : client.close().catch(noop),
        ),
      ).then(noop),
    );
    return this.#closing;
  }

  #destroyAll(error: Error): Promise<void> {
    this.#destroyed = true;
    this.#closed = true;
    for (let waiting = this.#waiting.shift(); waiting !== undefined; waiting = this.#waiting.shift()) {
      if (waiting.cancelled) continue;
      waiting.stopListening?.();
      waiting.handler.onError?.(error);
    }
    this.#resolveWaitingEmpty();
    const clients = [...this.#clients];
    this.#clients.clear();
    this.#idle.length = 0;
    return Promise.all(
      clients.map((pooled) => {
        pooled.removed = true;
        return pooled.client.destroy(error);
      }),
    ).then(noop);
  }

  /** Pops idle clients until one that may still be used; the stack drops removed ones lazily. */
  #popIdle(): PooledClient | undefined {
    for (let pooled = this.#idle.pop(); pooled !== undefined; pooled = this.#idle.pop()) {
      if (!pooled.removed) return pooled;
    }
    return undefined;
  }

  #hasCapacity(): boolean {
    const idle = this.#idle;
    while (idle.length > 0 && idle[idle.length - 1]?.removed) idle.pop();
    return idle.length > 0 || this.#clients.size < this.#connections;
  }

  #addClient(): PooledClient | undefined {
    if (this.#clients.size >= this.#connections) return undefined;
    const client = this.#factory(this.#origin, this.#clientOptions);
    const pooled: PooledClient = { client, busy: false, removed: false };
    client
      // undici's types leave out the targets that every client passes with `drain`.
      .on('drain', (origin: URL, targets?: readonly Dispatcher[]) =>
        this.#onClientDrain(pooled, origin, targets),
      )
      .on('connect', (origin, targets) => this.emit('connect', origin, [this, ...targets]))
      .on('disconnect', (origin, targets, error) =>
        this.emit('disconnect', origin, [this, ...targets], error),
      )
      .on('connectionError', (origin, targets, error) => {
        // As `Pool` does: a client that could not connect is dropped, and a new one takes its place if needed.
        this.#removeClient(pooled);
        this.emit('connectionError', origin, [this, ...targets], error);
      });
    this.#clients.add(pooled);
    return pooled;
  }

  #removeClient(pooled: PooledClient): void {
    if (pooled.removed) return;
    pooled.removed = true;
    this.#clients.delete(pooled);
    // The failed client errored its own requests; the ones still waiting need a connection of their own.
    if (!this.#destroyed) queueMicrotask(() => this.#serveWaiting());
  }

  #serveWaiting(): void {
    while (!this.#waiting.isEmpty()) {
      const pooled = this.#popIdle() ?? this.#addClient();
      if (pooled === undefined) return;
      if (!this.#drainInto(pooled)) return;
    }
  }

  /** Sends the request on `pooled`; a client that can take another request goes back on the idle stack. */
  #send(
    pooled: PooledClient,
    options: Dispatcher.DispatchOptions,
    handler: Dispatcher.DispatchHandler,
  ): void {
    pooled.busy = true;
    if (pooled.client.dispatch(options, handler) || isEmpty(pooled.client)) {
      pooled.busy = false;
      this.#idle.push(pooled);
    }
  }

  #onClientDrain(pooled: PooledClient, origin: URL, targets: readonly Dispatcher[] = [pooled.client]): void {
    if (pooled.removed || !pooled.busy) return;
    pooled.busy = false;
    if (!this.#drainInto(pooled)) return;
    if (this.#needDrain) {
      this.#needDrain = false;
      (this as EventEmitter).emit('drain', origin, [this, ...targets]);
    }
  }

  /** Hands waiting requests to a free client; true when it is left free (and back on the idle stack). */
  #drainInto(pooled: PooledClient): boolean {
    for (let waiting = this.#waiting.shift(); waiting !== undefined; waiting = this.#waiting.shift()) {
      if (waiting.cancelled) continue;
      waiting.stopListening?.();
      pooled.busy = true;
      if (!pooled.client.dispatch(waiting.options, waiting.handler) && !isEmpty(pooled.client)) {
        if (this.#waiting.isEmpty()) this.#resolveWaitingEmpty();
        return false;
      }
    }
    this.#resolveWaitingEmpty();
    pooled.busy = false;
    this.#idle.push(pooled);
    return true;
  }

  #resolveWaitingEmpty(): void {
    const resolve = this.#onWaitingEmpty;
    if (resolve === undefined) return;
    this.#onWaitingEmpty = undefined;
    resolve();
  }

  #enqueue(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): void {
    const waiting: WaitingRequest = { options, handler, cancelled: false };
    const signal = (options as { signal?: AbortSignalLike | null }).signal;
    if (signal != null && typeof handler.onError === 'function') {
      // Fail an aborted request now, not when a connection frees up, and never send it.
      const onAbort = () => {
        if (waiting.cancelled) return;
        waiting.cancelled = true;
        waiting.stopListening?.();
        this.#waiting.cancelled();
        if (this.#waiting.isEmpty()) this.#resolveWaitingEmpty();
        handler.onError?.((signal.reason as Error | undefined) ?? new errors.RequestAbortedError());
      };
      if (signal.aborted) {
        // undici's request layer fails an already-aborted request when it is connected: do it here instead.
        this.#waiting.push(waiting);
        queueMicrotask(onAbort);
        return;
      }
      waiting.stopListening = listenForAbort(signal, onAbort);
    }
    this.#waiting.push(waiting);
  }
}

/** The `AbortSignal` or `EventEmitter` shapes undici accepts as a request's `signal`. */
interface AbortSignalLike {
  aborted?: boolean;
  reason?: unknown;
  addEventListener?: (type: 'abort', listener: () => void) => void;
  removeEventListener?: (type: 'abort', listener: () => void) => void;
  on?: (type: 'abort', listener: () => void) => void;
  off?: (type: 'abort', listener: () => void) => void;
}

function listenForAbort(signal: AbortSignalLike, onAbort: () => void): (() => void) | undefined {
  if (typeof signal.addEventListener === 'function') {
    signal.addEventListener('abort', onAbort);
    return () => signal.removeEventListener?.('abort', onAbort);
  }
  if (typeof signal.on === 'function') {
    signal.on('abort', onAbort);
    return () => signal.off?.('abort', onAbort);
  }
  return undefined;
}

/**
 * Whether a client holds no request. A client returns false from `dispatch` both when it is busy and when it
 * rejected the request outright (invalid options): in the second case it never emits `drain`, so it is free now.
 */
function isEmpty(client: Dispatcher): boolean {
  return (client as Partial<Client>).stats?.size === 0;
}

function isDestroyed(client: Dispatcher): boolean {
  return (client as Partial<Client>).destroyed === true;
}

function createClient(origin: URL, options: object): Dispatcher {
  return new Client(origin, options);
}

/** A FIFO of waiting requests: a growing array read from a moving head, compacted once half of it is spent. */
class WaitingQueue {
  #items: (WaitingRequest | undefined)[] = [];
  #head = 0;
  /** Requests still to be served (not cancelled). */
  #live = 0;

  isEmpty(): boolean {
    return this.#live === 0;
  }

  push(item: WaitingRequest): void {
    this.#items.push(item);
    this.#live++;
  }

  /** Counts a request cancelled in place; `shift` skips it later. */
  cancelled(): void {
    this.#live--;
  }

  shift(): WaitingRequest | undefined {
    const items = this.#items;
    if (this.#head >= items.length) return undefined;
    const item = items[this.#head];
    items[this.#head++] = undefined;
    if (this.#head === items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head >= 1024 && this.#head * 2 >= items.length) {
      this.#items = items.slice(this.#head);
      this.#head = 0;
    }
    if (item !== undefined && !item.cancelled) this.#live--;
    return item;
  }
}
