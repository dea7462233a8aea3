import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { afterAll, describe, expect, it } from 'vitest';
// The repository's helper for "a caller from another machine": a throwaway network namespace of this run's own.
import { namespaceTestHostOrSkip } from '../../../../tests/support/namespace-test-host.js';
import type { AdminTestGatewayOptions } from '../testing/admin-test-gateway.js';
import { basicAuth, enabledAuth, useAdminTestGateways } from '../testing/admin-test-gateway.js';

// The loopback rule is judged by the socket's remote address, so it is tested over real sockets: the app listens on
// 0.0.0.0, this process calls it on 127.0.0.1, and a node process inside the namespace calls the host end of its
// veth pair, which the socket reports as a remote address. Nothing connects to this machine's external address.

const namespace = await namespaceTestHostOrSkip('the management-route remote-caller checks');
const startGateway = useAdminTestGateways();
const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  await namespace?.close();
});

async function serve(options: AdminTestGatewayOptions): Promise<number> {
  const { app } = await startGateway(options);
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  return (server.address() as AddressInfo).port;
}

const remote = (port: number, path: string, headers: Record<string, string> = {}) =>
  namespace!.fetchFromNamespace(`http://${namespace!.hostAddress}:${port}${path}`, { headers });

describe.skipIf(namespace === undefined)('management routes over real sockets', () => {
  it('answers loopback callers and refuses remote ones with 403 while admin auth is off', async () => {
    const port = await serve({});

    expect((await fetch(`http://127.0.0.1:${port}/api/providers`)).status).toBe(200);
    const refused = await remote(port, '/api/providers');
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({
      is_bifrost_error: true,
      status_code: 403,
      error: { message: expect.stringContaining('this machine') },
    });
    expect((await remote(port, '/health')).status).toBe(200);
    expect((await remote(port, '/api/session/is-auth-enabled')).status).toBe(200);
    // Inference is not a management route: it fails for want of a model, not for the caller's address.
    expect((await remote(port, '/v1/models')).status).not.toBe(403);
  }, 30_000);

  it('lets remote callers in when asked to', async () => {
    const port = await serve({ openManagementToRemote: true });

    expect((await remote(port, '/api/providers')).status).toBe(200);
  }, 30_000);

  it('asks remote callers for the admin credentials once admin auth is on', async () => {
    const port = await serve({ auth: enabledAuth });

    expect((await remote(port, '/api/providers')).status).toBe(401);
    expect((await remote(port, '/api/providers', basicAuth())).status).toBe(200);
  }, 30_000);
});
