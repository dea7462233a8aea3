import type {
  BifrostError,
  ChatRequest,
  ChatResponse,
  Logger,
  Plugin,
  PluginContext,
  PluginGateway,
  ToolCall,
  ToolMessage,
} from '@bifrost/schemas';
import { type CallModel, nestedCallOptions, runAgentLoop } from './agent-loop.js';
import { createMcpTransport, type McpTransportFactory } from './create-mcp-transport.js';
import { executeToolCall } from './execute-tool-call.js';
import { injectTools } from './inject-tools.js';
import { type McpConfig, parseMcpConfig } from './mcp-config.js';
import { type ConnectionState, McpConnection } from './mcp-connection.js';
import { createMcpRoutes } from './mcp-routes.js';
import { type LocalToolHandler, type LocalToolOptions, ToolCatalog } from './tool-catalog.js';
import { type ToolFilter, toolFilterFromHeaders } from './tool-filter.js';

/** What the gateway hands the factory besides the config; everything is optional for library use. */
export interface McpPluginContext {
  /** @default a logger that drops everything */
  logger?: Logger;
  /** Builds each connection's transport. @default stdio, streamable HTTP or SSE as the client config says */
  createTransport?: McpTransportFactory;
  /** How long start-up waits for every server's first connection attempt. @default 10_000 */
  startupTimeoutMs?: number;
  /** Delay before the first reconnection attempt, doubled on each failure. @default 500 */
  initialBackoffMs?: number;
  /** @default 30_000 */
  maxBackoffMs?: number;
}

/** The MCP plugin: the gateway's plugin interface plus a library API. */
export interface McpPlugin extends Plugin {
  readonly name: 'mcp';
  /**
   * Adds a tool served in-process, with no MCP server: offered to models under exactly `name` (client `local`
   * in the filter headers) and callable through the execution endpoint.
   * @example
   * mcp.registerTool('get_time', 'The current time', { type: 'object', properties: {} }, () => new Date().toISOString());
   */
  registerTool(
    name: string,
    description: string,
    parameters: Record<string, unknown>,
    handler: LocalToolHandler,
    options?: LocalToolOptions,
  ): void;
  /** Runs one OpenAI tool call, as `POST /v1/mcp/tool/execute` does; rejects with an `McpToolError`. */
  executeToolCall(
    call: ToolCall,
    options?: { signal?: AbortSignal; filter?: ToolFilter },
  ): Promise<ToolMessage>;
  /** Each configured server and where its connection stands. */
  clients(): { name: string; state: ConnectionState; tools: number }[];
}

/** Where the preHook leaves what the postHook's agent loop needs. */
const agentValueKey = 'mcp.agent';

interface PendingAgent {
  request: ChatRequest;
  filter: ToolFilter;
}

const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Creates the MCP plugin and connects to its servers, waiting (a bounded time) for each first attempt so that
 * the first requests already see the tools. A server that fails is a warning and is retried in the background.
 *
 * Chat requests get the permitted tools in `params.tools`. When some of them may run by themselves
 * (`tools_to_auto_execute`), agent mode runs them and asks the model again until it answers; streamed requests
 * then run every turn unstreamed and replay the final answer as a stream.
 */
export async function mcpPlugin(config: unknown = {}, context: McpPluginContext = {}): Promise<McpPlugin> {
  const options = parseMcpConfig(config);
  const logger = context.logger ?? silentLogger;
  const createTransport = context.createTransport ?? ((client) => createMcpTransport(client));
  let catalog: ToolCatalog | undefined;
  const connections = options.client_configs.map(
    (client) =>
      new McpConnection({
        config: client,
        createTransport,
        logger,
        initialBackoffMs: context.initialBackoffMs,
        maxBackoffMs: context.maxBackoffMs,
        onToolsChanged: () => catalog?.invalidate(),
      }),
  );
  catalog = new ToolCatalog(connections);
  const plugin = createPlugin(options, catalog, connections, logger);
  await firstAttempts(connections, context.startupTimeoutMs ?? 10_000);
  return plugin;
}

function createPlugin(
  options: McpConfig,
  catalog: ToolCatalog,
  connections: readonly McpConnection[],
  logger: Logger,
): McpPlugin {
  const toolTimeoutMs = options.tool_execution_timeout * 1000;
  let gateway: PluginGateway | undefined;
  // Ids of the model calls the agent loop makes itself: their hooks must not start a loop of their own.
  const nested = new Set<string>();

  /** Agent mode for one request: the model is called again as nested engine calls, marked by their ids. */
  const runAgent = async (
    request: ChatRequest,
    filter: ToolFilter,
    context: PluginContext,
    firstAnswer?: ChatResponse,
  ): Promise<ChatResponse> => {
    const headers = { ...context.headers };
    const callModel: CallModel = async (next, round) => {
      const callOptions = nestedCallOptions(context.requestId, round, headers, context.signal, context);
      nested.add(callOptions.requestId);
      try {
        return await gateway!.chatCompletion!(next, callOptions);
      } finally {
        nested.delete(callOptions.requestId);
      }
    };
    return runAgentLoop(request, firstAnswer ?? (await callModel(request, 0)), {
      catalog,
      filter,
      callModel,
      maxDepth: options.max_agent_depth,
      toolTimeoutMs,
      signal: context.signal,
    });
  };

  // A stream cannot be taken back once a turn turns out to call tools, so every turn runs unstreamed and the
  // final answer short-circuits the stream, which the engine then replays as chunks.
  const streamAgent = async (request: ChatRequest, filter: ToolFilter, context: PluginContext) => {
    try {
      return { request, shortCircuit: { response: await runAgent(request, filter, context) } };
    } catch (error) {
      return { request, shortCircuit: { error: asBifrostError(error) } };
    }
  };

  return {
    name: 'mcp',
    httpRoutes: createMcpRoutes({
      catalog,
      connections,
      toolTimeoutMs,
      callers: { allowRemote: options.allow_remote_tool_execution },
    }),

    setup(engine) {
      gateway = engine;
      if (!engine.chatCompletion)
        logger.warn('mcp agent mode is off: the gateway cannot call models for plugins');
    },

    preHook(context, request) {
      const streamed = context.requestType === 'chat_completion_stream';
      if (context.requestType !== 'chat_completion' && !streamed) return;
      const filter = toolFilterFromHeaders(context.headers);
      const offer = catalog.offer(filter);
      if (offer.tools.length === 0) return;
      const withTools = injectTools(request as ChatRequest, offer.tools);
      const agentMode =
        offer.autoExecute && gateway?.chatCompletion !== undefined && !nested.has(context.requestId);
      if (!agentMode) return { request: withTools };
      if (streamed) return streamAgent(withTools, filter, context);
      context.values.set(agentValueKey, { request: withTools, filter } satisfies PendingAgent);
      return { request: withTools };
    },

    async postHook(context, outcome) {
      const pending = context.values.get(agentValueKey) as PendingAgent | undefined;
      if (!pending || outcome.response?.object !== 'chat.completion') return;
      try {
        return { response: await runAgent(pending.request, pending.filter, context, outcome.response) };
      } catch (error) {
        return { error: asBifrostError(error) };
      }
    },

    registerTool(name, description, parameters, handler, toolOptions) {
      catalog.registerLocal(name, description, parameters, handler, toolOptions);
    },

    executeToolCall(call, callOptions = {}) {
      return executeToolCall(call, { catalog, timeoutMs: toolTimeoutMs, ...callOptions });
    },

    clients() {
      return connections.map((connection) => ({
        name: connection.config.name,
        state: connection.state,
        tools: connection.tools.length,
      }));
    },

    async cleanup() {
      await Promise.all(connections.map((connection) => connection.close()));
    },
  };
}

/** Starts every connection and waits for each first attempt, but never longer than `timeoutMs`. */
async function firstAttempts(connections: readonly McpConnection[], timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
    timer.unref();
  });
  await Promise.race([Promise.all(connections.map((connection) => connection.connect())), deadline]);
  clearTimeout(timer);
}

/** The engine rejects with its own error type, which knows its wire shape; anything else is the plugin's fault. */
function asBifrostError(error: unknown): BifrostError {
  const convertible = error as { toBifrostError?: () => BifrostError } | undefined;
  if (typeof convertible?.toBifrostError === 'function') return convertible.toBifrostError();
  const message = error instanceof Error ? error.message : String(error);
  return {
    is_bifrost_error: true,
    error: { type: 'plugin_error', message: `mcp agent loop failed: ${message}` },
    extra_fields: { error_code: 'plugin_error' },
  };
}
