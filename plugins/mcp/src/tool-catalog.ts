import type { Tool } from '@bifrost/schemas';
import { localClientName } from './mcp-config.js';
import type { McpConnection } from './mcp-connection.js';
import { McpToolError } from './mcp-tool-error.js';
import { publicToolName, toolNamePattern } from './public-tool-name.js';
import {
  type FilterableTool,
  filterAllows,
  isUnfiltered,
  listNames,
  type ToolFilter,
} from './tool-filter.js';

/** What a tool answered, ready to become a `tool` message. */
export interface ToolOutput {
  content: string;
  isError: boolean;
}

/** Runs an in-process tool registered with `registerTool`. */
export type LocalToolHandler = (
  args: Record<string, unknown>,
  options: { signal: AbortSignal },
) => unknown | Promise<unknown>;

/** One tool the models may be offered, from a server or registered in-process. */
export interface CatalogTool extends FilterableTool {
  description: string | undefined;
  /** A JSON Schema object for the arguments. */
  parameters: Record<string, unknown>;
  /** Whether agent mode runs it without asking the caller. */
  autoExecute: boolean;
  run(args: Record<string, unknown>, signal: AbortSignal): Promise<ToolOutput>;
}

/** The tools one request is offered, and whether agent mode could run any of them by itself. */
export interface ToolOffer {
  tools: readonly Tool[];
  autoExecute: boolean;
}

/** Options of {@link ToolCatalog.registerLocal}. */
export interface LocalToolOptions {
  /** Let agent mode run the tool by itself. @default false */
  autoExecute?: boolean;
}

/**
 * Every tool the plugin can offer, by the name the model sees: the permitted tools of connected servers plus
 * in-process ones. Rebuilt only when a server's tools change, so a request reads a ready list.
 */
export class ToolCatalog {
  private readonly connections: readonly McpConnection[];
  private readonly local = new Map<string, CatalogTool>();
  private byName: Map<string, CatalogTool> | undefined;
  private unfilteredOffer: ToolOffer | undefined;

  constructor(connections: readonly McpConnection[]) {
    this.connections = connections;
  }

  /** Marks the list stale; the next read rebuilds it. */
  invalidate(): void {
    this.byName = undefined;
    this.unfilteredOffer = undefined;
  }

  /**
   * What one request is offered, in OpenAI's shape. Most requests carry no filter headers; their offer is built
   * once per change of the tool list rather than once per request.
   */
  offer(filter: ToolFilter): ToolOffer {
    if (!isUnfiltered(filter)) return buildOffer(this.list(filter));
    this.unfilteredOffer ??= buildOffer(this.list());
    return this.unfilteredOffer;
  }

  /** All permitted tools, or those a request's filter lets through. */
  list(filter?: ToolFilter): CatalogTool[] {
    const tools = [...this.index().values()];
    return filter ? tools.filter((tool) => filterAllows(filter, tool)) : tools;
  }

  /** The tool a model called by name, if the filter permits it. */
  find(publicName: string, filter?: ToolFilter): CatalogTool | undefined {
    const tool = this.index().get(publicName);
    return tool && (!filter || filterAllows(filter, tool)) ? tool : undefined;
  }

  /**
   * Why a tool cannot be found: its client is not connected right now (a 503, worth retrying), or no such tool
   * exists (a 400).
   */
  missing(publicName: string): McpToolError {
    const connection = this.connections.find(
      (candidate) => candidate.state !== 'connected' && publicName.startsWith(`${candidate.config.name}-`),
    );
    if (!connection) return unknownTool(publicName);
    return new McpToolError(
      'provider_unavailable',
      `MCP client "${connection.config.name}" is ${connection.state}; try again shortly`,
    );
  }

  /** Adds an in-process tool under exactly the given name. */
  registerLocal(
    name: string,
    description: string,
    parameters: Record<string, unknown>,
    handler: LocalToolHandler,
    options: LocalToolOptions = {},
  ): void {
    if (!toolNamePattern.test(name)) {
      throw new TypeError(`tool name ${JSON.stringify(name)} must match ${toolNamePattern}`);
    }
    if (this.local.has(name)) throw new TypeError(`a tool named "${name}" is already registered`);
    this.local.set(name, {
      client: localClientName,
      name,
      publicName: name,
      description,
      parameters,
      autoExecute: options.autoExecute ?? false,
      run: async (args, signal) => {
        try {
          return { content: stringify(await handler(args, { signal })), isError: false };
        } catch (error) {
          // A handler's own failure is the tool's answer, as a server's `isError` result is.
          if (signal.aborted) throw error;
          return { content: (error as Error)?.message ?? String(error), isError: true };
        }
      },
    });
    this.invalidate();
  }

  private index(): Map<string, CatalogTool> {
    if (this.byName) return this.byName;
    const byName = new Map<string, CatalogTool>();
    for (const connection of this.connections) {
      const config = connection.config;
      for (const tool of connection.tools) {
        if (!listNames(config.tools_to_execute, tool.name, true)) continue;
        if (listNames(config.tools_to_skip, tool.name, false)) continue;
        const publicName = publicToolName(config.name, tool.name);
        byName.set(publicName, {
          client: config.name,
          name: tool.name,
          publicName,
          description: tool.description,
          parameters: tool.inputSchema,
          autoExecute: listNames(config.tools_to_auto_execute, tool.name, false),
          run: async (args, signal) => {
            const result = await connection.callTool(tool.name, args, signal);
            return {
              content: resultText(result.content, result.structuredContent),
              isError: result.isError === true,
            };
          },
        });
      }
    }
    // A server's tool never hides an in-process one the application registered on purpose.
    for (const [name, tool] of this.local) byName.set(name, tool);
    this.byName = byName;
    return byName;
  }
}

function buildOffer(tools: readonly CatalogTool[]): ToolOffer {
  return { tools: tools.map(toOpenAITool), autoExecute: tools.some((tool) => tool.autoExecute) };
}

/** A catalog tool in OpenAI's function-tool shape, for `params.tools`. */
function toOpenAITool(tool: CatalogTool): Tool {
  const { $schema: _schema, ...parameters } = tool.parameters;
  return {
    type: 'function',
    function: {
      name: tool.publicName,
      ...(tool.description === undefined ? {} : { description: tool.description }),
      parameters,
    },
  };
}

function unknownTool(name: string): McpToolError {
  return new McpToolError('invalid_request', `unknown tool ${JSON.stringify(name)}`, {
    param: 'function.name',
  });
}

/** Text blocks as they are; anything else (images, resources) as JSON, so that nothing is lost. */
function resultText(content: readonly unknown[] | undefined, structured: unknown): string {
  if (!content || content.length === 0) return structured === undefined ? '' : JSON.stringify(structured);
  return content
    .map((block) => {
      const part = block as { type?: string; text?: unknown };
      return part.type === 'text' && typeof part.text === 'string' ? part.text : JSON.stringify(block);
    })
    .join('\n');
}

function stringify(value: unknown): string {
  if (typeof value === 'string') return value;
  return value === undefined ? '' : JSON.stringify(value);
}
