import type { Logger } from '@bifrost/schemas';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  type CallToolResult,
  McpError,
  ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { McpClientConfig } from './mcp-config.js';
import { McpToolError } from './mcp-tool-error.js';

/** Where a connection stands: `failed` waits for its next retry. */
export type ConnectionState = 'connecting' | 'connected' | 'failed' | 'closed';

/** A tool as the server lists it. */
export interface ServerTool {
  name: string;
  description?: string;
  inputSchema: Record<string, unknown>;
}

/** Options of {@link McpConnection}. */
export interface McpConnectionOptions {
  config: McpClientConfig;
  createTransport: (config: McpClientConfig) => Transport;
  logger: Logger;
  /** Called whenever the tool list changes: connected, listed anew, or lost. */
  onToolsChanged?: () => void;
  /** Delay before the first retry; doubled each failure. @default 500 */
  initialBackoffMs?: number;
  /** @default 30_000 */
  maxBackoffMs?: number;
  /** @default Math.random */
  random?: () => number;
}

/** What the gateway calls itself when it introduces itself to a server. */
const clientInfo = { name: 'bifrost', version: '0.1.0' };

/**
 * One MCP server, kept connected: connects in the background, retries with exponential backoff, follows
 * `notifications/tools/list_changed`, and reconnects when a stdio server exits or an HTTP server stops
 * answering. It never throws from the background; failures are logged and visible in `state`.
 */
export class McpConnection {
  readonly config: McpClientConfig;
  private readonly options: McpConnectionOptions;
  private client: Client | undefined;
  private currentState: ConnectionState = 'connecting';
  private currentTools: readonly ServerTool[] = [];
  private failures = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  // Bumped on every (re)connection, so that events of a client already replaced are ignored.
  private generation = 0;
  private lastErrorMessage: string | undefined;

  constructor(options: McpConnectionOptions) {
    this.options = options;
    this.config = options.config;
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  /** The server's tools while connected; empty otherwise. */
  get tools(): readonly ServerTool[] {
    return this.currentState === 'connected' ? this.currentTools : [];
  }

  /** Why the last attempt failed, while not connected. */
  get lastError(): string | undefined {
    return this.currentState === 'connected' ? undefined : this.lastErrorMessage;
  }

  /** Connects now, dropping any current client; resolves once connected or failed (a retry is then scheduled). */
  async connect(): Promise<void> {
    if (this.currentState === 'closed') return;
    clearTimeout(this.retryTimer);
    const generation = ++this.generation;
    await this.dropClient();
    this.setState('connecting');
    const client = new Client(clientInfo, { capabilities: {} });
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      if (generation === this.generation) void this.refreshTools(client, generation);
    });
    client.onclose = () => this.lost(generation, 'the connection closed');
    client.onerror = (error) => this.checkAlive(client, generation, error);
    try {
      const transport = this.options.createTransport(this.config);
      await client.connect(transport);
      this.forwardStderr(transport);
      if (generation !== this.generation) {
        await client.close();
        return;
      }
      this.client = client;
      this.currentTools = await listAllTools(client);
      if (generation !== this.generation) return;
      this.failures = 0;
      this.setState('connected');
      this.options.logger.info('mcp client connected', {
        client: this.config.name,
        tools: this.currentTools.length,
      });
    } catch (error) {
      if (generation !== this.generation) return;
      await client.close().catch(() => {});
      this.client = undefined;
      this.fail(error);
    }
  }

  /** Calls a tool on the server; fails with an {@link McpToolError} when the server cannot be reached. */
  async callTool(name: string, args: Record<string, unknown>, signal: AbortSignal): Promise<CallToolResult> {
    const client = this.client;
    if (!client || this.currentState !== 'connected') {
      throw new McpToolError(
        'provider_unavailable',
        `MCP client "${this.config.name}" is ${this.currentState}`,
      );
    }
    const generation = this.generation;
    try {
      // The SDK's own timeout is lifted: the caller's signal carries `tool_execution_timeout`.
      const result = await client.callTool({ name, arguments: args }, undefined, {
        signal,
        timeout: 2 ** 31 - 1,
      });
      return result as CallToolResult;
    } catch (error) {
      if (signal.aborted) throw error;
      if (error instanceof McpError) {
        throw new McpToolError('network_error', `MCP client "${this.config.name}": ${error.message}`, {
          cause: error,
        });
      }
      // Anything but a protocol error means the server is gone (a refused connection, an unknown session).
      this.lost(generation, (error as Error).message);
      throw new McpToolError('provider_unavailable', `MCP client "${this.config.name}" is unreachable`, {
        cause: error,
      });
    }
  }

  /** Stops retrying, closes the client and, for stdio, ends the server process. */
  async close(): Promise<void> {
    this.setState('closed');
    this.generation++;
    clearTimeout(this.retryTimer);
    await this.dropClient();
  }

  private async refreshTools(client: Client, generation: number): Promise<void> {
    try {
      const tools = await listAllTools(client);
      if (generation !== this.generation) return;
      this.currentTools = tools;
      this.options.logger.info('mcp tools changed', { client: this.config.name, tools: tools.length });
      this.options.onToolsChanged?.();
    } catch (error) {
      this.options.logger.warn('mcp tools could not be listed', {
        client: this.config.name,
        reason: (error as Error).message,
      });
    }
  }

  /** A transport error may be harmless (one failed notification); a failed ping says the server is gone. */
  private checkAlive(client: Client, generation: number, error: Error): void {
    if (generation !== this.generation || this.currentState !== 'connected') return;
    this.options.logger.debug('mcp transport error', { client: this.config.name, reason: error.message });
    client.ping({ timeout: 5_000 }).catch((pingError: Error) => this.lost(generation, pingError.message));
  }

  private lost(generation: number, reason: string): void {
    if (generation !== this.generation || this.currentState === 'closed') return;
    // Bumped here so that the old client's close and errors, which follow, are ignored.
    this.generation++;
    this.options.logger.warn('mcp client lost, reconnecting', { client: this.config.name, reason });
    this.lastErrorMessage = reason;
    this.setState('connecting');
    void this.dropClient();
    this.scheduleRetry();
  }

  private fail(error: unknown): void {
    this.lastErrorMessage = (error as Error)?.message ?? String(error);
    this.setState('failed');
    const delay = this.scheduleRetry();
    this.options.logger.warn('mcp client could not connect', {
      client: this.config.name,
      reason: this.lastErrorMessage,
      retry_in_ms: delay,
    });
  }

  private scheduleRetry(): number {
    const { initialBackoffMs = 500, maxBackoffMs = 30_000, random = Math.random } = this.options;
    const ceiling = Math.min(maxBackoffMs, initialBackoffMs * 2 ** this.failures);
    // Half fixed, half jitter, so that servers that failed together do not retry in lockstep.
    const delay = Math.round(ceiling / 2 + (random() * ceiling) / 2);
    this.failures++;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.connect(), delay);
    this.retryTimer.unref();
    return delay;
  }

  private async dropClient(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    await client.close().catch(() => {});
  }

  private setState(state: ConnectionState): void {
    const hadTools = this.tools.length > 0;
    this.currentState = state;
    if (state !== 'connected') this.currentTools = [];
    if (hadTools || this.tools.length > 0) this.options.onToolsChanged?.();
  }

  private forwardStderr(transport: Transport): void {
    const stderr = (transport as { stderr?: NodeJS.ReadableStream | null }).stderr;
    if (!stderr) return;
    stderr.setEncoding('utf8');
    stderr.on('data', (text: string) => {
      for (const line of text.split('\n')) {
        if (line.trim() !== '')
          this.options.logger.debug('mcp server stderr', { client: this.config.name, line });
      }
    });
  }
}

async function listAllTools(client: Client): Promise<ServerTool[]> {
  const tools: ServerTool[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor === undefined ? undefined : { cursor });
    for (const tool of page.tools) {
      tools.push({ name: tool.name, description: tool.description, inputSchema: tool.inputSchema });
    }
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return tools;
}
