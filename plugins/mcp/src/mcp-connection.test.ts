import { afterEach, describe, expect, it, vi } from 'vitest';
import type { McpClientConfig } from './mcp-config.js';
import { McpConnection } from './mcp-connection.js';
import { inMemoryMcpServers } from './testing/in-memory-mcp-server.js';

const config: McpClientConfig = {
  name: 'memory',
  connection_type: 'http',
  connection_string: 'http://127.0.0.1:1/mcp',
};
const silent = { debug() {}, info() {}, warn: vi.fn(), error() {} };
const open: McpConnection[] = [];

function connection(servers: ReturnType<typeof inMemoryMcpServers>, onToolsChanged?: () => void) {
  const created = new McpConnection({
    config,
    createTransport: servers.createTransport,
    logger: silent,
    initialBackoffMs: 10,
    maxBackoffMs: 20,
    random: () => 0,
    onToolsChanged,
  });
  open.push(created);
  return created;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((created) => created.close()));
});

describe('McpConnection', () => {
  it('connects and lists the server tools', async () => {
    const created = connection(inMemoryMcpServers());

    await created.connect();

    expect(created.state).toBe('connected');
    expect(created.tools.map((tool) => tool.name)).toEqual(['add', 'echo', 'wait']);
    expect(created.tools[0]!.inputSchema).toMatchObject({ type: 'object', required: ['a', 'b'] });
  });

  it('calls a tool', async () => {
    const created = connection(inMemoryMcpServers());
    await created.connect();

    const result = await created.callTool('add', { a: 2, b: 3 }, new AbortController().signal);

    expect(result.content).toEqual([{ type: 'text', text: '5' }]);
  });

  it('retries a failed first attempt with backoff, without throwing', async () => {
    const servers = inMemoryMcpServers({ failFirst: 2 });
    const created = connection(servers);

    await created.connect();
    expect(created.state).toBe('failed');
    expect(created.lastError).toBe('connection 1 refused');

    await vi.waitFor(() => expect(created.state).toBe('connected'));
    expect(servers.connections()).toBe(3);
  });

  it('follows tools/list_changed', async () => {
    const changed = vi.fn();
    const servers = inMemoryMcpServers();
    const created = connection(servers, changed);
    await created.connect();

    servers.servers[0]!.registerTool('later', { description: 'Added later' }, async () => ({ content: [] }));

    await vi.waitFor(() => expect(created.tools.map((tool) => tool.name)).toContain('later'));
    expect(changed).toHaveBeenCalled();
  });

  it('reconnects when the server goes away', async () => {
    const servers = inMemoryMcpServers();
    const created = connection(servers);
    await created.connect();

    await servers.servers[0]!.close();

    await vi.waitFor(() => expect(servers.connections()).toBe(2));
    await vi.waitFor(() => expect(created.state).toBe('connected'));
    const result = await created.callTool('echo', { message: 'again' }, new AbortController().signal);
    expect(result.content).toEqual([{ type: 'text', text: 'Echo: again' }]);
  });

  it('refuses calls while not connected', async () => {
    const created = connection(inMemoryMcpServers({ failFirst: 100 }));
    await created.connect();

    await expect(created.callTool('add', {}, new AbortController().signal)).rejects.toMatchObject({
      code: 'provider_unavailable',
    });
  });

  it('stops retrying once closed', async () => {
    const servers = inMemoryMcpServers({ failFirst: 100 });
    const created = connection(servers);
    await created.connect();

    await created.close();
    const attempts = servers.connections();
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(created.state).toBe('closed');
    expect(servers.connections()).toBe(attempts);
  });
});
