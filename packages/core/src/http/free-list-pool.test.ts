import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, type Dispatcher, Pool } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { FreeListPool } from './free-list-pool.js';

/** A loopback upstream that counts its connections and lets each test decide how to answer. */
interface Upstream {
  origin: string;
  /** Connections accepted so far. */
  accepted: number;
  /** Most connections open at once. */
  peakOpen: number;
  /** Request paths seen, in order. */
  paths: string[];
  /** The client port of the connection each request arrived on. */
  ports: number[];
  close(): Promise<void>;
}

type Answer = (request: IncomingMessage, response: ServerResponse) => void;

const servers: Upstream[] = [];
const dispatchers: Dispatcher[] = [];

afterEach(async () => {
  await Promise.all(dispatchers.splice(0).map((dispatcher) => dispatcher.destroy().catch(() => {})));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function startUpstream(answer: Answer = (_request, response) => response.end('ok')): Promise<Upstream> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((request, response) => {
    upstream.paths.push(request.url ?? '');
    upstream.ports.push(request.socket.remotePort ?? 0);
    answer(request, response);
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    upstream.accepted++;
    upstream.peakOpen = Math.max(upstream.peakOpen, sockets.size);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const upstream: Upstream = {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    accepted: 0,
    peakOpen: 0,
    paths: [],
    ports: [],
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
  servers.push(upstream);
  return upstream;
}

function agentWith(connections: number): Agent {
  const agent = new Agent({
    connections,
    keepAliveTimeout: 30_000,
    factory: (origin, options) => new FreeListPool(origin, options),
  });
  dispatchers.push(agent);
  return agent;
}

async function get(
  dispatcher: Dispatcher,
  origin: string,
  path: string,
  signal?: AbortSignal,
): Promise<string> {
  const response = await dispatcher.request({ origin, path, method: 'GET', signal });
  return response.body.text();
}

/** Answers after `ms`, or never for `/hold` until `release()` is called. */
function delayed(ms: number): { answer: Answer; release(): void } {
  const held: ServerResponse[] = [];
  return {
    answer: (request, response) => {
      if (request.url === '/hold') held.push(response);
      else setTimeout(() => response.end(request.url), ms);
    },
    release: () => {
      for (const response of held.splice(0)) response.end('/hold');
    },
  };
}

describe('FreeListPool', () => {
  it('never opens more than `connections` sockets and completes every request', async () => {
    const upstream = await startUpstream(delayed(5).answer);
    const agent = agentWith(4);
    const paths = Array.from({ length: 100 }, (_, index) => `/${index}`);
    const bodies = await Promise.all(paths.map((path) => get(agent, upstream.origin, path)));
    expect(bodies).toEqual(paths);
    expect(upstream.accepted).toBe(4);
    expect(upstream.peakOpen).toBe(4);
  });

  it('fails a request whose connection is reset, and serves later requests', async () => {
    const upstream = await startUpstream((request, response) => {
      if (request.url === '/reset') request.socket.destroy();
      else response.end(request.url);
    });
    const agent = agentWith(2);
    await expect(get(agent, upstream.origin, '/reset')).rejects.toMatchObject({ code: 'UND_ERR_SOCKET' });
    const bodies = await Promise.all(['/a', '/b', '/c'].map((path) => get(agent, upstream.origin, path)));
    expect(bodies).toEqual(['/a', '/b', '/c']);
  });

  it('reuses one kept-alive socket for sequential requests', async () => {
    const upstream = await startUpstream();
    const agent = agentWith(4);
    for (let index = 0; index < 5; index++) {
      await get(agent, upstream.origin, `/${index}`);
      // A client frees itself just after handing over the body, as with undici's Pool: let it.
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(upstream.accepted).toBe(1);
    expect(new Set(upstream.ports).size).toBe(1);
  });

  it('fails a request aborted while waiting for a connection, and never sends it', async () => {
    const { answer, release } = delayed(0);
    const upstream = await startUpstream(answer);
    const agent = agentWith(1);
    const first = get(agent, upstream.origin, '/hold');
    const controller = new AbortController();
    const queued = get(agent, upstream.origin, '/aborted', controller.signal);
    await sleep(20);
    controller.abort(new Error('caller went away'));
    await expect(queued).rejects.toThrow('caller went away');
    release();
    await expect(first).resolves.toBe('/hold');
    await expect(get(agent, upstream.origin, '/after')).resolves.toBe('/after');
    expect(upstream.paths).toEqual(['/hold', '/after']);
  });

  it('fails a request whose signal is already aborted without sending it', async () => {
    const { answer, release } = delayed(0);
    const upstream = await startUpstream(answer);
    const agent = agentWith(1);
    const first = get(agent, upstream.origin, '/hold');
    await sleep(20);
    await expect(get(agent, upstream.origin, '/aborted', AbortSignal.abort())).rejects.toThrow();
    release();
    await first;
    expect(upstream.paths).toEqual(['/hold']);
  });

  it('closes after the requests in flight and waiting have completed', async () => {
    const upstream = await startUpstream(delayed(50).answer);
    const pool = new FreeListPool(upstream.origin, { connections: 1 });
    dispatchers.push(pool);
    const requests = ['/a', '/b'].map((path) => get(pool, upstream.origin, path));
    await sleep(10);
    const closed = pool.close();
    await expect(get(pool, upstream.origin, '/late')).rejects.toMatchObject({ code: 'UND_ERR_CLOSED' });
    await closed;
    await expect(Promise.all(requests)).resolves.toEqual(['/a', '/b']);
    expect(upstream.paths).toEqual(['/a', '/b']);
  });

  it('fails waiting and in-flight requests when destroyed', async () => {
    const { answer } = delayed(0);
    const upstream = await startUpstream(answer);
    const pool = new FreeListPool(upstream.origin, { connections: 1 });
    const requests = ['/hold', '/waiting-1', '/waiting-2'].map((path) => get(pool, upstream.origin, path));
    const settled = Promise.allSettled(requests);
    await sleep(20);
    await pool.destroy(new Error('shutting down'));
    const results = await settled;
    expect(results.map((result) => result.status === 'rejected' && String(result.reason))).toEqual([
      'Error: shutting down',
      'Error: shutting down',
      'Error: shutting down',
    ]);
    expect(upstream.paths).toEqual(['/hold']);
  });

  it('fails each waiting request once when the upstream refuses connections', async () => {
    const upstream = await startUpstream();
    await upstream.close();
    servers.length = 0;
    const agent = agentWith(2);
    const results = await Promise.allSettled(
      ['/a', '/b', '/c', '/d'].map((path) => get(agent, upstream.origin, path)),
    );
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
  });
});

/** A client that never touches the network: busy after each dispatch until `finish()` emits `drain`. */
class FakeClient extends EventEmitter {
  constructor(readonly origin: URL) {
    super();
  }
  dispatch(): boolean {
    return false;
  }
  finish(): void {
    this.emit('drain', this.origin, [this]);
  }
  async close(): Promise<void> {}
  async destroy(): Promise<void> {}
}

/** Microseconds per request (a connection drains, then takes the next request) with `busy` others in use. */
function measure(busy: number, makePool: (factory: (origin: URL) => Dispatcher) => Dispatcher): number {
  const clients: FakeClient[] = [];
  const pool = makePool((origin) => {
    const client = new FakeClient(origin);
    clients.push(client);
    return client as unknown as Dispatcher;
  });
  const options = { origin: 'http://127.0.0.1:1', path: '/', method: 'GET' } as const;
  const handler = { onError: () => {} };
  for (let index = 0; index <= busy; index++) pool.dispatch(options, handler);
  // The newest connection is the one that keeps finishing: a pool that scans from the oldest passes every other.
  const free = clients[clients.length - 1] as FakeClient;
  const iterations = 20_000;
  const started = process.hrtime.bigint();
  for (let index = 0; index < iterations; index++) {
    free.finish();
    pool.dispatch(options, handler);
  }
  return Number(process.hrtime.bigint() - started) / 1_000 / iterations;
}

describe('FreeListPool scaling', () => {
  it('prints the cost of a dispatch with 10 and 2,000 busy connections', () => {
    let warm = 0;
    const url = 'http://127.0.0.1:1';
    // The first round warms the JIT up; the second is printed.
    for (const busy of [10, 2_000, 10, 2_000]) {
      const ours = measure(busy, (factory) => new FreeListPool(url, { connections: busy + 1, factory }));
      const undici = measure(busy, (factory) => new Pool(url, { connections: busy + 1, factory }));
      if (warm++ >= 2)
        console.log(
          `${busy} busy connections: FreeListPool ${ours.toFixed(3)} µs, undici Pool ${undici.toFixed(3)} µs`,
        );
    }
  });
});
