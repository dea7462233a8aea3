import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import {
  type AddressInfo,
  connect,
  createServer as createTcpServer,
  type Socket,
  type Server as TcpServer,
} from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from './create-dispatcher.js';

/** A loopback upstream that answers every request with its own path. */
let upstream: Server;
let upstreamPort: number;

beforeAll(async () => {
  upstream = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ path: request.url }));
  });
  upstream.listen(0, '127.0.0.1');
  await once(upstream, 'listening');
  upstreamPort = (upstream.address() as AddressInfo).port;
});

afterAll(() => upstream.close());

const open: { close(): void }[] = [];
afterEach(() => {
  for (const server of open.splice(0)) server.close();
});

/** A forward proxy that tunnels CONNECT requests, recording each target and Proxy-Authorization. */
async function startHttpProxy(): Promise<{
  url: string;
  tunnels: { target: string; authorization?: string }[];
}> {
  const tunnels: { target: string; authorization?: string }[] = [];
  const proxy = createServer();
  proxy.on('connect', (request, client: Socket, head) => {
    tunnels.push({ target: request.url ?? '', authorization: request.headers['proxy-authorization'] });
    const [host, port] = (request.url ?? '').split(':');
    const server = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      server.write(head);
      server.pipe(client).pipe(server);
    });
    server.on('error', () => client.destroy());
  });
  proxy.listen(0, '127.0.0.1');
  await once(proxy, 'listening');
  open.push({ close: () => proxy.close() });
  return { url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, tunnels };
}

/** A SOCKS5 server (RFC 1928, no-auth or username/password per RFC 1929) that records each CONNECT target. */
async function startSocksProxy(): Promise<{ url: string; targets: string[]; users: string[] }> {
  const targets: string[] = [];
  const users: string[] = [];
  const server: TcpServer = createTcpServer((client) => {
    let stage: 'greeting' | 'auth' | 'request' = 'greeting';
    client.on('data', function onData(data: Buffer) {
      if (stage === 'greeting') {
        const methods = [...data.subarray(2, 2 + data[1]!)];
        const method = methods.includes(2) ? 2 : 0;
        client.write(Buffer.from([5, method]));
        stage = method === 2 ? 'auth' : 'request';
        return;
      }
      if (stage === 'auth') {
        const userLength = data[1]!;
        users.push(data.subarray(2, 2 + userLength).toString());
        client.write(Buffer.from([1, 0]));
        stage = 'request';
        return;
      }
      client.off('data', onData);
      const addressType = data[3];
      let host: string;
      let offset: number;
      if (addressType === 1) {
        host = [...data.subarray(4, 8)].join('.');
        offset = 8;
      } else {
        const length = data[4]!;
        host = data.subarray(5, 5 + length).toString();
        offset = 5 + length;
      }
      const port = data.readUInt16BE(offset);
      targets.push(`${host}:${port}`);
      const remote = connect(port, host, () => {
        client.write(Buffer.from([5, 0, 0, 1, 0, 0, 0, 0, 0, 0]));
        remote.pipe(client).pipe(remote);
      });
      remote.on('error', () => client.destroy());
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  open.push({ close: () => server.close() });
  return { url: `socks5://127.0.0.1:${(server.address() as AddressInfo).port}`, targets, users };
}

async function getPath(dispatcher: ReturnType<typeof createDispatcher>, path: string): Promise<unknown> {
  const response = await dispatcher.request({
    origin: `http://127.0.0.1:${upstreamPort}`,
    path,
    method: 'GET',
  });
  const body = await response.body.json();
  await dispatcher.close();
  return body;
}

describe('createDispatcher', () => {
  it('connects directly without a proxy', async () => {
    expect(await getPath(createDispatcher(undefined, { connections: 4 }), '/direct')).toEqual({
      path: '/direct',
    });
  });

  it('tunnels through an HTTP proxy, with basic credentials', async () => {
    const proxy = await startHttpProxy();
    const dispatcher = createDispatcher(
      { type: 'http', url: proxy.url, username: 'user', password: 'pass' },
      { connections: 4 },
    );
    expect(await getPath(dispatcher, '/via-http-proxy')).toEqual({ path: '/via-http-proxy' });
    expect(proxy.tunnels).toEqual([
      {
        target: `127.0.0.1:${upstreamPort}`,
        authorization: `Basic ${Buffer.from('user:pass').toString('base64')}`,
      },
    ]);
  });

  it('goes through a SOCKS5 proxy, with username and password', async () => {
    const proxy = await startSocksProxy();
    const dispatcher = createDispatcher(
      { type: 'socks5', url: proxy.url, username: 'user', password: 'pass' },
      { connections: 4 },
    );
    expect(await getPath(dispatcher, '/via-socks')).toEqual({ path: '/via-socks' });
    expect(proxy.targets).toEqual([`127.0.0.1:${upstreamPort}`]);
    expect(proxy.users).toEqual(['user']);
  });

  it('follows HTTP_PROXY from the environment', async () => {
    const proxy = await startHttpProxy();
    const saved = { HTTP_PROXY: process.env.HTTP_PROXY, NO_PROXY: process.env.NO_PROXY };
    process.env.HTTP_PROXY = proxy.url;
    process.env.NO_PROXY = '';
    try {
      const dispatcher = createDispatcher({ type: 'environment' }, { connections: 4 });
      expect(await getPath(dispatcher, '/via-env')).toEqual({ path: '/via-env' });
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
    expect(proxy.tunnels.map((tunnel) => tunnel.target)).toEqual([`127.0.0.1:${upstreamPort}`]);
  });

  it('refuses an http or socks5 proxy without a url', () => {
    expect(() => createDispatcher({ type: 'http' }, { connections: 1 })).toThrow(
      /proxy_config\.url is required/,
    );
    expect(() => createDispatcher({ type: 'socks5' }, { connections: 1 })).toThrow(
      /proxy_config\.url is required/,
    );
  });
});
