import type { PluginHttpRequestInfo } from '@bifrost/schemas';
import { isLoopbackAddress } from './is-loopback-address.js';
import { McpToolError } from './mcp-tool-error.js';

/** Options of {@link createRemoteCallerGuard}. */
export interface RemoteCallerGuardOptions {
  /** `allow_remote_tool_execution` from the MCP config: let any caller in. @default false */
  allowRemote?: boolean;
  /** Decides which addresses count as this machine; injectable for tests. @default isLoopbackAddress */
  isLocal?: (address: string | undefined) => boolean;
}

/**
 * Keeps the MCP routes (tool execution, client listing, reconnects) to callers on this machine. Nothing
 * authenticates callers yet, and a tool such as a filesystem server reads and writes files for whoever asks.
 * Answers the refusal to send, or undefined to go on; an unknown address is refused too.
 */
export function createRemoteCallerGuard(
  options: RemoteCallerGuardOptions = {},
): (info: PluginHttpRequestInfo | undefined) => McpToolError | undefined {
  const { allowRemote = false, isLocal = isLoopbackAddress } = options;
  return (info) => {
    if (allowRemote || isLocal(info?.remoteAddress)) return undefined;
    return new McpToolError(
      'permission_denied',
      'MCP tool execution and management answer only callers on this machine until admin authentication ' +
        'exists; set mcp.allow_remote_tool_execution to true to allow remote callers (dangerous, see docs/mcp.md)',
    );
  };
}
