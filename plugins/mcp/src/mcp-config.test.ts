import { describe, expect, it } from 'vitest';
import { McpConfigError, parseMcpConfig } from './mcp-config.js';

function issuesOf(config: unknown): string[] {
  try {
    parseMcpConfig(config);
  } catch (error) {
    expect(error).toBeInstanceOf(McpConfigError);
    return (error as McpConfigError).issues.map((issue) => `${issue.path}: ${issue.message}`);
  }
  throw new Error('the config was accepted');
}

describe('parseMcpConfig', () => {
  it('applies upstream defaults to an empty config', () => {
    expect(parseMcpConfig(undefined)).toEqual({
      client_configs: [],
      tool_execution_timeout: 30,
      max_agent_depth: 10,
      allow_remote_tool_execution: false,
    });
  });

  it('accepts stdio, http and sse clients', () => {
    const config = parseMcpConfig({
      client_configs: [
        { name: 'files', connection_type: 'stdio', stdio_config: { command: 'node', envs: ['HOME'] } },
        { name: 'remote', connection_type: 'http', connection_string: 'http://127.0.0.1:1/mcp' },
        { name: 'legacy', connection_type: 'sse', connection_string: 'http://127.0.0.1:1/sse' },
      ],
      tool_execution_timeout: 5,
    });

    expect(config.client_configs[0]!.stdio_config).toEqual({ command: 'node', args: [], envs: ['HOME'] });
    expect(config.client_configs.map((client) => client.connection_type)).toEqual(['stdio', 'http', 'sse']);
  });

  it('names the field at fault', () => {
    expect(issuesOf({ client_configs: [{ name: 'a', connection_type: 'pipe' }] })).toEqual([
      expect.stringMatching(/^mcp\.client_configs\[0\]\.connection_type: /),
    ]);
  });

  it('requires stdio_config for stdio and connection_string for http', () => {
    expect(
      issuesOf({
        client_configs: [
          { name: 'a', connection_type: 'stdio' },
          { name: 'b', connection_type: 'http' },
        ],
      }),
    ).toEqual([
      'mcp.client_configs[0].stdio_config: is required for a stdio client',
      'mcp.client_configs[1].connection_string: is required for an http client',
    ]);
  });

  it('refuses duplicate, hyphenated and reserved client names', () => {
    const client = { connection_type: 'http', connection_string: 'http://127.0.0.1:1/mcp' };
    expect(
      issuesOf({
        client_configs: [
          { ...client, name: 'same' },
          { ...client, name: 'same' },
          { ...client, name: 'has-hyphen' },
          { ...client, name: 'local' },
        ],
      }),
    ).toEqual([
      'mcp.client_configs[2].name: must be 1 to 32 letters, digits or underscores',
      'mcp.client_configs[3].name: "local" is reserved for in-process tools',
      'mcp.client_configs[1].name: "same" is used by another client',
    ]);
  });

  it('reports unknown keys one by one', () => {
    expect(issuesOf({ max_depth: 3 })).toEqual(['mcp.max_depth: unknown key']);
  });
});
