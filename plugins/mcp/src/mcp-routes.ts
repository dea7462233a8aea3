import type { PluginHttpRequestInfo, PluginHttpRoute } from '@bifrost/schemas';
import { executeToolCall, parseToolCall } from './execute-tool-call.js';
import type { McpConnection } from './mcp-connection.js';
import { McpToolError } from './mcp-tool-error.js';
import { createRemoteCallerGuard, type RemoteCallerGuardOptions } from './remote-caller-guard.js';
import type { ToolCatalog } from './tool-catalog.js';
import { toolFilterFromHeaders } from './tool-filter.js';

/** What the routes work on. */
export interface McpRoutesOptions {
  catalog: ToolCatalog;
  connections: readonly McpConnection[];
  toolTimeoutMs: number;
  /** Who may call the routes: loopback callers only, unless `allowRemote`. */
  callers?: RemoteCallerGuardOptions;
}

/** The tool-execution and management routes the plugin adds to the HTTP transport. */
export function createMcpRoutes(options: McpRoutesOptions): PluginHttpRoute[] {
  const { catalog, connections, toolTimeoutMs } = options;
  const refuseCaller = createRemoteCallerGuard(options.callers);
  const answer = (info: PluginHttpRequestInfo | undefined, produce: () => Promise<unknown>) =>
    refuseCaller(info)?.toResponse() ?? answerJson(produce);
  const describeClient = (connection: McpConnection) => ({
    name: connection.config.name,
    connection_type: connection.config.connection_type,
    state: connection.state,
    ...(connection.lastError === undefined ? {} : { error: connection.lastError }),
    tools: catalog
      .list()
      .filter((tool) => tool.client === connection.config.name)
      .map((tool) => ({
        name: tool.publicName,
        server_name: tool.name,
        description: tool.description,
        auto_execute: tool.autoExecute,
      })),
  });
  const reconnectPath = /^\/api\/mcp\/clients\/([^/]+)\/reconnect$/;

  return [
    {
      method: 'POST',
      path: '/v1/mcp/tool/execute',
      handle: (request, info) =>
        answer(info, async () => {
          const call = parseToolCall(await readJson(request));
          const filter = toolFilterFromHeaders(Object.fromEntries(request.headers));
          return executeToolCall(call, { catalog, filter, timeoutMs: toolTimeoutMs, signal: request.signal });
        }),
    },
    {
      method: 'GET',
      path: '/api/mcp/clients',
      handle: (_request, info) => answer(info, async () => connections.map(describeClient)),
    },
    {
      method: 'POST',
      path: '/api/mcp/clients/:name/reconnect',
      handle: (request, info) =>
        answer(info, async () => {
          const name = decodeURIComponent(reconnectPath.exec(new URL(request.url).pathname)?.[1] ?? '');
          const connection = connections.find((candidate) => candidate.config.name === name);
          if (!connection) throw new McpToolError('not_found', `no MCP client named ${JSON.stringify(name)}`);
          await connection.connect();
          return describeClient(connection);
        }),
    },
  ];
}

async function answerJson(produce: () => Promise<unknown>): Promise<Response> {
  try {
    return new Response(JSON.stringify(await produce()), {
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
  } catch (error) {
    if (error instanceof McpToolError) return error.toResponse();
    throw error;
  }
}

async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new McpToolError('invalid_request', 'the body is not valid JSON', { param: 'body' });
  }
}
