import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { McpClientConfig } from './mcp-config.js';

/** Builds a fresh transport for one connection attempt; injected in tests to connect in memory. */
export type McpTransportFactory = (config: McpClientConfig) => Transport;

/**
 * The SDK transport a client config asks for. A stdio server gets the SDK's safe default environment (PATH, HOME
 * and the like) plus the variables its `envs` names or sets, never the gateway's whole environment, which
 * holds provider keys.
 */
export function createMcpTransport(
  config: McpClientConfig,
  environment: Readonly<Record<string, string | undefined>> = process.env,
): Transport {
  if (config.connection_type === 'stdio') {
    const stdio = config.stdio_config!;
    return new StdioClientTransport({
      command: stdio.command,
      args: stdio.args,
      env: { ...getDefaultEnvironment(), ...serverEnvironment(stdio.envs, environment) },
      stderr: 'pipe',
    });
  }
  const url = new URL(config.connection_string!);
  const requestInit = { headers: config.headers ?? {} };
  if (config.connection_type === 'sse') {
    return new SSEClientTransport(url, { requestInit });
  }
  // Our own backoff reconnects a dropped client; the SDK's stream retries would only race with it.
  return new StreamableHTTPClientTransport(url, {
    requestInit,
    reconnectionOptions: {
      maxRetries: 0,
      initialReconnectionDelay: 1000,
      maxReconnectionDelay: 1000,
      reconnectionDelayGrowFactor: 1,
    },
  });
}

function serverEnvironment(
  envs: readonly string[] | Readonly<Record<string, string>> | undefined,
  environment: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  if (envs === undefined) return {};
  if (!Array.isArray(envs)) return { ...(envs as Record<string, string>) };
  const picked: Record<string, string> = {};
  for (const name of envs as readonly string[]) {
    const value = environment[name];
    if (value !== undefined) picked[name] = value;
  }
  return picked;
}
