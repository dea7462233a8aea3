import { afterEach, describe, expect, it } from 'vitest';
import { executeToolCall, parseToolCall } from './execute-tool-call.js';
import { McpConnection } from './mcp-connection.js';
import { inMemoryMcpServers } from './testing/in-memory-mcp-server.js';
import { ToolCatalog } from './tool-catalog.js';
import { toolFilterFromHeaders } from './tool-filter.js';

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const connections: McpConnection[] = [];

async function catalogWithServer(): Promise<ToolCatalog> {
  const connection = new McpConnection({
    config: {
      name: 'memory',
      connection_type: 'http',
      connection_string: 'http://127.0.0.1:1/mcp',
      tools_to_skip: ['echo'],
    },
    createTransport: inMemoryMcpServers().createTransport,
    logger: silent,
  });
  connections.push(connection);
  await connection.connect();
  return new ToolCatalog([connection]);
}

function call(name: string, args: string) {
  return { id: 'call_1', type: 'function' as const, function: { name, arguments: args } };
}

afterEach(async () => {
  await Promise.all(connections.splice(0).map((connection) => connection.close()));
});

describe('executeToolCall', () => {
  it('runs a server tool and answers with a tool message', async () => {
    const catalog = await catalogWithServer();

    expect(await executeToolCall(call('memory-add', '{"a":1,"b":2}'), { catalog, timeoutMs: 5_000 })).toEqual(
      {
        role: 'tool',
        content: '3',
        tool_call_id: 'call_1',
      },
    );
  });

  it('runs an in-process tool', async () => {
    const catalog = new ToolCatalog([]);
    catalog.registerLocal('upper', 'Upper-cases', { type: 'object' }, ({ text }) =>
      String(text).toUpperCase(),
    );

    const message = await executeToolCall(call('upper', '{"text":"abc"}'), { catalog, timeoutMs: 5_000 });

    expect(message.content).toBe('ABC');
  });

  it('hands a failing in-process tool back as an error result for the model', async () => {
    const catalog = new ToolCatalog([]);
    catalog.registerLocal('broken', 'Fails', { type: 'object' }, () => {
      throw new Error('disk full');
    });

    expect((await executeToolCall(call('broken', ''), { catalog, timeoutMs: 5_000 })).content).toBe(
      'Error: disk full',
    );
  });

  it('refuses an unknown tool, naming it', async () => {
    const catalog = await catalogWithServer();

    await expect(
      executeToolCall(call('memory-nope', '{}'), { catalog, timeoutMs: 5_000 }),
    ).rejects.toMatchObject({
      code: 'invalid_request',
      param: 'function.name',
      message: 'unknown tool "memory-nope"',
    });
  });

  it('treats a skipped tool as unknown', async () => {
    const catalog = await catalogWithServer();

    await expect(
      executeToolCall(call('memory-echo', '{}'), { catalog, timeoutMs: 5_000 }),
    ).rejects.toMatchObject({
      param: 'function.name',
    });
  });

  it('treats a tool the request headers exclude as unknown', async () => {
    const catalog = await catalogWithServer();
    const filter = toolFilterFromHeaders({ 'x-bf-mcp-exclude-clients': 'memory' });

    await expect(
      executeToolCall(call('memory-add', '{"a":1,"b":2}'), { catalog, filter, timeoutMs: 5_000 }),
    ).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('answers 503 for a tool whose client is not connected', async () => {
    const catalog = await catalogWithServer();
    await connections[0]!.close();

    await expect(
      executeToolCall(call('memory-add', '{}'), { catalog, timeoutMs: 5_000 }),
    ).rejects.toMatchObject({
      code: 'provider_unavailable',
      statusCode: 503,
      message: 'MCP client "memory" is closed; try again shortly',
    });
  });

  it('refuses arguments that are not a JSON object', async () => {
    const catalog = await catalogWithServer();

    await expect(
      executeToolCall(call('memory-add', '{"a":'), { catalog, timeoutMs: 5_000 }),
    ).rejects.toMatchObject({
      code: 'invalid_request',
      param: 'function.arguments',
      message: expect.stringContaining('function.arguments is not valid JSON'),
    });
    await expect(
      executeToolCall(call('memory-add', '[1]'), { catalog, timeoutMs: 5_000 }),
    ).rejects.toMatchObject({
      message: 'function.arguments must be a JSON object',
    });
  });

  it('cuts a tool that hangs at the timeout', async () => {
    const catalog = await catalogWithServer();

    const error = await executeToolCall(call('memory-wait', '{}'), { catalog, timeoutMs: 50 }).catch(
      (caught) => caught,
    );

    expect(error).toMatchObject({ code: 'timeout', statusCode: 504 });
    expect(error.message).toBe('tool "memory-wait" did not finish within 0.05s');
  });
});

describe('parseToolCall', () => {
  it('names the field at fault', () => {
    expect(() => parseToolCall({ id: 'x', type: 'function', function: { name: 'a' } })).toThrow(
      'function.arguments: ',
    );
    expect(() => parseToolCall('nope')).toThrow(expect.objectContaining({ param: 'body' }));
  });
});
