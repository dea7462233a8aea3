import { z } from 'zod';

/** The name reserved for tools registered in-process with `registerTool`, in the client filter headers. */
export const localClientName = 'local';

const toolNames = z.array(z.string().min(1, 'must not be empty'));

const stdioConfigSchema = z.strictObject({
  command: z.string().min(1, 'must not be empty'),
  args: z.array(z.string()).default([]),
  /**
   * As upstream: names of the gateway's environment variables the server needs, passed on to it; or explicit
   * `{NAME: value}` pairs.
   */
  envs: z.union([z.array(z.string().min(1)), z.record(z.string(), z.string())]).optional(),
});

const clientConfigSchema = z
  .strictObject({
    // A client name never contains `-`, so `<client>-<tool>` names cannot collide across clients.
    name: z
      .string()
      .regex(/^[A-Za-z0-9_]{1,32}$/, 'must be 1 to 32 letters, digits or underscores')
      .refine((name) => name !== localClientName, `"${localClientName}" is reserved for in-process tools`),
    connection_type: z.enum(['stdio', 'http', 'sse']),
    connection_string: z.url().optional(),
    stdio_config: stdioConfigSchema.optional(),
    /** Only these tools (by the server's names); absent or `["*"]` for all. */
    tools_to_execute: toolNames.optional(),
    tools_to_skip: toolNames.optional(),
    /** Tools the gateway runs itself in agent mode; `["*"]` for all permitted tools. */
    tools_to_auto_execute: toolNames.optional(),
    /** Sent with every HTTP or SSE request to the server, e.g. `Authorization`. */
    headers: z.record(z.string(), z.string()).optional(),
  })
  .superRefine((client, context) => {
    if (client.connection_type === 'stdio' && client.stdio_config === undefined) {
      context.addIssue({ code: 'custom', path: ['stdio_config'], message: 'is required for a stdio client' });
    }
    if (client.connection_type !== 'stdio' && client.connection_string === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['connection_string'],
        message: `is required for an ${client.connection_type} client`,
      });
    }
  });

const mcpConfigSchema = z
  .strictObject({
    client_configs: z.array(clientConfigSchema).default([]),
    /** Seconds a tool may run before its call is cut. */
    tool_execution_timeout: z.number().positive().default(30),
    /** Rounds of tool execution one agent-mode request may run. */
    max_agent_depth: z.int().min(1).default(10),
    /**
     * Dangerous: lets callers on other machines run tools (`POST /v1/mcp/tool/execute`) and reconnect servers.
     * Nothing authenticates them yet, so a filesystem server would read and write files for anyone.
     */
    allow_remote_tool_execution: z.boolean().default(false),
  })
  .superRefine((config, context) => {
    const seen = new Set<string>();
    config.client_configs.forEach((client, index) => {
      if (seen.has(client.name)) {
        context.addIssue({
          code: 'custom',
          path: ['client_configs', index, 'name'],
          message: `"${client.name}" is used by another client`,
        });
      }
      seen.add(client.name);
    });
  });

/** The MCP plugin's config as written in the config file (top-level `mcp`, or the plugin entry's `config`). */
export type McpConfigInput = z.input<typeof mcpConfigSchema>;
/** The MCP config once validated and defaulted. */
export type McpConfig = z.output<typeof mcpConfigSchema>;
/** One MCP server to connect to. */
export type McpClientConfig = McpConfig['client_configs'][number];

/** An MCP config the plugin refuses; the message names every field at fault. */
export class McpConfigError extends Error {
  override readonly name = 'McpConfigError';
  /** Each problem with its path, as written in the config file (`mcp.client_configs[0].name`). */
  readonly issues: readonly { path: string; message: string }[];

  constructor(issues: readonly { path: string; message: string }[]) {
    super(issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '));
    this.issues = issues;
  }
}

/** Validates the MCP config and applies its defaults; throws an {@link McpConfigError}. */
export function parseMcpConfig(config: unknown): McpConfig {
  const result = mcpConfigSchema.safeParse(config ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: 'unknown key' }))
      : [{ path: formatPath(issue.path), message: issue.message }],
  );
  throw new McpConfigError(issues);
}

function formatPath(path: readonly PropertyKey[]): string {
  let formatted = 'mcp';
  for (const segment of path) {
    formatted += typeof segment === 'number' ? `[${segment}]` : `.${String(segment)}`;
  }
  return formatted;
}
