export type { AgentLoopOptions, CallModel } from './agent-loop.js';
export { runAgentLoop } from './agent-loop.js';
export type { McpTransportFactory } from './create-mcp-transport.js';
export { createMcpTransport } from './create-mcp-transport.js';
export type { ExecuteToolCallOptions } from './execute-tool-call.js';
export { executeToolCall, parseToolCall } from './execute-tool-call.js';
export type { McpClientConfig, McpConfig, McpConfigInput } from './mcp-config.js';
export { McpConfigError, parseMcpConfig } from './mcp-config.js';
export type { ConnectionState, McpConnectionOptions, ServerTool } from './mcp-connection.js';
export { McpConnection } from './mcp-connection.js';
export type { McpPlugin, McpPluginContext } from './mcp-plugin.js';
export { mcpPlugin } from './mcp-plugin.js';
export type { McpToolErrorCode } from './mcp-tool-error.js';
export { McpToolError } from './mcp-tool-error.js';
export { publicToolName } from './public-tool-name.js';
export type {
  CatalogTool,
  LocalToolHandler,
  LocalToolOptions,
  ToolOffer,
  ToolOutput,
} from './tool-catalog.js';
export { ToolCatalog } from './tool-catalog.js';
export type { ToolFilter } from './tool-filter.js';
export { toolFilterFromHeaders } from './tool-filter.js';

import { mcpPlugin } from './mcp-plugin.js';

/** The factory the gateway's config loading imports: `(config, context) => Promise<Plugin>`. */
export default mcpPlugin;
