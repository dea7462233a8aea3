import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayProcess, startGateway } from './support/gateway-process.js';
import { filesystemServer } from './support/mcp-servers.js';
import { postJson } from './support/post-json.js';

// With a filesystem MCP server configured, tool execution writes files for whoever asks. Until admin auth exists
// the MCP routes answer only callers on this machine. A caller from another machine is simulated by connecting to
// this machine's own non-loopback address (never another host), which the socket reports as the remote address.

/** This machine's first IPv4 address that is not loopback, or undefined when it has none. */
function ownExternalAddress(): string | undefined {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal) return address.address;
    }
  }
  return undefined;
}

const external = ownExternalAddress();
let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'bifrost-security-mcp-'));
});
afterAll(async () => {
  if (folder) await rm(folder, { recursive: true, force: true });
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

function writeFileCall(base: string, name: string) {
  return postJson(`${base}/v1/mcp/tool/execute`, {
    id: 'call_1',
    type: 'function',
    function: {
      name: 'files-write_file',
      arguments: JSON.stringify({ path: join(folder, name), content: 'written over the network\n' }),
    },
  });
}

describe.skipIf(external === undefined)('MCP routes on a gateway bound to 0.0.0.0', () => {
  let gateway: GatewayProcess;
  beforeAll(async () => {
    gateway = await startWithFilesystem();
  }, 60_000);
  afterAll(async () => {
    await gateway?.stop();
  });
  const remote = () => `http://${external}:${gateway.port}`;
  const local = () => `http://127.0.0.1:${gateway.port}`;

  it('refuses tool execution from another machine with 403 and runs nothing', async () => {
    const answer = await writeFileCall(remote(), 'remote.txt');

    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({
      is_bifrost_error: true,
      error: { type: 'permission_denied', message: expect.stringContaining('allow_remote_tool_execution') },
    });
    await expect(readFile(join(folder, 'remote.txt'), 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('refuses reconnects and client listing from another machine', async () => {
    const reconnect = await postJson(`${remote()}/api/mcp/clients/files/reconnect`, {});
    const listing = await fetch(`${remote()}/api/mcp/clients`);

    expect(reconnect.status).toBe(403);
    expect(listing.status).toBe(403);
  });

  it('still runs tools for a caller on this machine', async () => {
    const answer = await writeFileCall(local(), 'local.txt');

    expect(answer.status).toBe(200);
    expect(await readFile(join(folder, 'local.txt'), 'utf8')).toBe('written over the network\n');
  });
});

describe.skipIf(external === undefined)('MCP routes with allow_remote_tool_execution', () => {
  it('runs a remote caller’s tool call', async () => {
    const gateway = await startWithFilesystem({ allow_remote_tool_execution: true });
    try {
      const answer = await writeFileCall(`http://${external}:${gateway.port}`, 'allowed.txt');

      expect(answer.status).toBe(200);
      expect(await readFile(join(folder, 'allowed.txt'), 'utf8')).toBe('written over the network\n');
    } finally {
      await gateway.stop();
    }
  }, 60_000);
});
