import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayProcess, startGateway } from './support/gateway-process.js';
import { filesystemServer } from './support/mcp-servers.js';
import { namespaceTestHostOrSkip } from './support/namespace-test-host.js';
import { postJson } from './support/post-json.js';

// With a filesystem MCP server configured, tool execution writes files for whoever asks. Until admin auth exists
// the MCP routes answer only callers on this machine. A caller from another machine is simulated by a network
// namespace this run creates: it reaches the gateway (bound to 0.0.0.0) at the host end of its own veth pair, and
// the socket reports the namespace end as the remote address. Nothing here connects to this machine's external
// address or to any other host.

const namespace = await namespaceTestHostOrSkip('the MCP remote-caller checks');
let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'bifrost-security-mcp-'));
});
afterAll(async () => {
  if (folder) await rm(folder, { recursive: true, force: true });
  await namespace?.close();
});

async function startWithFilesystem(extra: Record<string, unknown> = {}): Promise<GatewayProcess> {
  return startGateway({
    config: {
      providers: {},
      mcp: {
        client_configs: [
          {
            name: 'files',
            connection_type: 'stdio',
            stdio_config: { command: process.execPath, args: [filesystemServer, folder] },
          },
        ],
        ...extra,
      },
    },
    args: ['-host', '0.0.0.0'],
    timeoutMs: 45_000,
  });
}

function writeFileCallBody(name: string) {
  return {
    id: 'call_1',
    type: 'function',
    function: {
      name: 'files-write_file',
      arguments: JSON.stringify({ path: join(folder, name), content: 'written over the network\n' }),
    },
  };
}

/** The same tool call, sent from inside the namespace to the host end of its veth pair. */
function remoteWriteFileCall(port: number, name: string) {
  return namespace!.fetchFromNamespace(`http://${namespace!.hostAddress}:${port}/v1/mcp/tool/execute`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(writeFileCallBody(name)),
  });
}

describe.skipIf(namespace === undefined)('MCP routes on a gateway bound to 0.0.0.0', () => {
  let gateway: GatewayProcess;
  beforeAll(async () => {
    gateway = await startWithFilesystem();
  }, 60_000);
  afterAll(async () => {
    await gateway?.stop();
  });
  const remote = () => `http://${namespace!.hostAddress}:${gateway.port}`;

  it('refuses tool execution from another machine with 403 and runs nothing', async () => {
    const answer = await remoteWriteFileCall(gateway.port, 'remote.txt');

    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({
      is_bifrost_error: true,
      error: { type: 'permission_denied', message: expect.stringContaining('allow_remote_tool_execution') },
    });
    await expect(readFile(join(folder, 'remote.txt'), 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('refuses reconnects and client listing from another machine', async () => {
    const reconnect = await namespace!.fetchFromNamespace(`${remote()}/api/mcp/clients/files/reconnect`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const listing = await namespace!.fetchFromNamespace(`${remote()}/api/mcp/clients`);

    expect(reconnect.status).toBe(403);
    expect(listing.status).toBe(403);
  });

  it('still runs tools and lists clients for a caller on this machine', async () => {
    const answer = await postJson(
      `http://127.0.0.1:${gateway.port}/v1/mcp/tool/execute`,
      writeFileCallBody('local.txt'),
    );
    const listing = await fetch(`http://127.0.0.1:${gateway.port}/api/mcp/clients`);

    expect(answer.status).toBe(200);
    expect(await readFile(join(folder, 'local.txt'), 'utf8')).toBe('written over the network\n');
    expect(listing.status).toBe(200);
  });
});

describe.skipIf(namespace === undefined)('MCP routes with allow_remote_tool_execution', () => {
  it('runs a remote caller’s tool call', async () => {
    const gateway = await startWithFilesystem({ allow_remote_tool_execution: true });
    try {
      const answer = await remoteWriteFileCall(gateway.port, 'allowed.txt');

      expect(answer.status).toBe(200);
      expect(await readFile(join(folder, 'allowed.txt'), 'utf8')).toBe('written over the network\n');
    } finally {
      await gateway.stop();
    }
  }, 60_000);
});
