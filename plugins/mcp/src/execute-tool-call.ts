import type { ToolCall, ToolMessage } from '@bifrost/schemas';
import { z } from 'zod';
import { McpToolError } from './mcp-tool-error.js';
import type { CatalogTool, ToolCatalog } from './tool-catalog.js';
import type { ToolFilter } from './tool-filter.js';

const toolCallSchema = z.object({
  id: z.string().min(1, 'must not be empty'),
  type: z.literal('function'),
  function: z.object({ name: z.string().min(1, 'must not be empty'), arguments: z.string() }),
});

/** Checks an untrusted body is an OpenAI tool call; throws an {@link McpToolError} naming the field. */
export function parseToolCall(body: unknown): ToolCall {
  const result = toolCallSchema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const param = issue.path.join('.') || 'body';
  throw new McpToolError('invalid_request', `${param}: ${issue.message}`, { param });
}

/** Options of {@link executeToolCall}. */
export interface ExecuteToolCallOptions {
  catalog: ToolCatalog;
  /** The request's header filter; a tool it hides cannot be called either. */
  filter?: ToolFilter;
  timeoutMs: number;
  /** The caller's cancellation. */
  signal?: AbortSignal;
}

/**
 * Runs one tool call and answers with the `tool` message for it. Throws an {@link McpToolError} for an unknown
 * tool, arguments that are not a JSON object, a server that cannot be reached, or a tool still running after
 * `timeoutMs`. A tool that reports its own failure (`isError`) is an answer, not an error: the model reads it.
 */
export async function executeToolCall(call: ToolCall, options: ExecuteToolCallOptions): Promise<ToolMessage> {
  const tool = options.catalog.find(call.function.name, options.filter);
  if (!tool) throw options.catalog.missing(call.function.name);
  const args = parseArguments(call.function.arguments);
  const output = await runWithTimeout(tool, args, options);
  return {
    role: 'tool',
    content: output.isError ? `Error: ${output.content}` : output.content,
    tool_call_id: call.id,
  };
}

function parseArguments(text: string): Record<string, unknown> {
  // Models send "" for a tool without parameters.
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new McpToolError(
      'invalid_request',
      `function.arguments is not valid JSON: ${(error as Error).message}`,
      {
        param: 'function.arguments',
      },
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new McpToolError('invalid_request', 'function.arguments must be a JSON object', {
      param: 'function.arguments',
    });
  }
  return parsed as Record<string, unknown>;
}

async function runWithTimeout(
  tool: CatalogTool,
  args: Record<string, unknown>,
  options: ExecuteToolCallOptions,
): Promise<{ content: string; isError: boolean }> {
  const timeout = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, timeout.signal]) : timeout.signal;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const seconds = options.timeoutMs / 1000;
      const error = new McpToolError(
        'timeout',
        `tool "${tool.publicName}" did not finish within ${seconds}s`,
      );
      // Aborting tells the server to stop (the SDK sends notifications/cancelled).
      timeout.abort(error);
      reject(error);
    }, options.timeoutMs);
  });
  try {
    return await Promise.race([tool.run(args, signal), timedOut]);
  } catch (error) {
    if (error instanceof McpToolError) throw error;
    if (options.signal?.aborted)
      throw new McpToolError('cancelled', 'the caller went away', { cause: error });
    throw new McpToolError('network_error', `tool "${tool.publicName}" failed: ${(error as Error).message}`, {
      cause: error,
    });
  } finally {
    clearTimeout(timer);
  }
}
