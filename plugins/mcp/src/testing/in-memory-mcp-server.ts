import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { McpTransportFactory } from '../create-mcp-transport.js';

/** The server side of every connection the factory made, newest last, to close or change from a test. */
export interface InMemoryMcpServers {
  createTransport: McpTransportFactory;
  servers: McpServer[];
  /** How many connections the factory has been asked for. */
  connections(): number;
}

/**
 * A transport factory whose every connection reaches a fresh in-process server with `add`, `echo` and `wait`
 * (which never answers), so unit tests need no process or socket. A factory told to fail throws instead.
 */
export function inMemoryMcpServers(options: { failFirst?: number } = {}): InMemoryMcpServers {
  const servers: McpServer[] = [];
  let count = 0;
  return {
    servers,
    connections: () => count,
    createTransport: () => {
      count++;
      if (count <= (options.failFirst ?? 0)) throw new Error(`connection ${count} refused`);
      const server = new McpServer({ name: 'test-server', version: '1.0.0' });
      server.registerTool(
        'add',
        { description: 'Adds two numbers', inputSchema: { a: z.number(), b: z.number() } },
        async ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }] }),
      );
      server.registerTool(
        'echo',
        { description: 'Echoes the message', inputSchema: { message: z.string() } },
        async ({ message }) => ({ content: [{ type: 'text', text: `Echo: ${message}` }] }),
      );
      server.registerTool('wait', { description: 'Never answers' }, () => new Promise(() => {}));
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      void server.connect(serverSide);
      servers.push(server);
      return clientSide;
    },
  };
}
