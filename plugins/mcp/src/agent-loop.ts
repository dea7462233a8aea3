import type {
  ChatMessage,
  ChatRequest,
  ChatResponse,
  PluginContext,
  PluginGatewayCallOptions,
  ToolCall,
} from '@bifrost/schemas';
import { executeToolCall } from './execute-tool-call.js';
import { McpToolError } from './mcp-tool-error.js';
import type { ToolCatalog } from './tool-catalog.js';
import type { ToolFilter } from './tool-filter.js';

/** Calls the model once more; the plugin hands in the engine's `chatCompletion`, marking the call as nested. */
export type CallModel = (request: ChatRequest, round: number) => Promise<ChatResponse>;

/** Options of {@link runAgentLoop}. */
export interface AgentLoopOptions {
  catalog: ToolCatalog;
  filter: ToolFilter;
  callModel: CallModel;
  /** Rounds of tool execution before the last answer is returned as it is. */
  maxDepth: number;
  toolTimeoutMs: number;
  signal?: AbortSignal;
}

/**
 * Agent mode: while the model's only answer asks for tools that may all run by themselves, run them, append the
 * assistant message and the results to the conversation, and ask the model again, up to `maxDepth` rounds.
 * An answer that asks for any other tool goes back to the caller unchanged, to run them itself.
 */
export async function runAgentLoop(
  request: ChatRequest,
  response: ChatResponse,
  options: AgentLoopOptions,
): Promise<ChatResponse> {
  const followUp = withoutForcedTool(request);
  let messages: ChatMessage[] = request.messages;
  let current = response;
  for (let round = 1; round <= options.maxDepth; round++) {
    const calls = autoExecutableCalls(current, options);
    if (!calls) return current;
    const results = await Promise.all(calls.map((call) => runOne(call, options)));
    messages = [...messages, current.choices[0]!.message, ...results];
    current = await options.callModel({ ...followUp, messages }, round);
  }
  return current;
}

/** A `tool_choice` that forces a call applies to the first turn only; kept on, the model could never answer. */
function withoutForcedTool(request: ChatRequest): ChatRequest {
  const choice = request.params?.tool_choice;
  if (choice === undefined || choice === 'auto' || choice === 'none') return request;
  const { tool_choice: _forced, ...params } = request.params!;
  return { ...request, params };
}

/** The call options of a nested model call: the outer request's headers and cancellation, a marked id. */
export function nestedCallOptions(
  requestId: string,
  round: number,
  headers: Readonly<Record<string, string>>,
  signal: AbortSignal,
  parent?: PluginContext,
): PluginGatewayCallOptions & { requestId: string } {
  return { requestId: `${requestId}:mcp-agent-${round}`, headers: { ...headers }, signal, parent };
}

function autoExecutableCalls(response: ChatResponse, options: AgentLoopOptions): ToolCall[] | undefined {
  // With several choices there is no one conversation to continue.
  if (response.choices.length !== 1) return undefined;
  const calls = response.choices[0]!.message.tool_calls;
  if (!calls || calls.length === 0) return undefined;
  const auto = calls.every((call) => options.catalog.find(call.function.name, options.filter)?.autoExecute);
  return auto ? calls : undefined;
}

/** A failed call becomes a `tool` message the model can read and recover from, as a tool's own error is. */
async function runOne(call: ToolCall, options: AgentLoopOptions): Promise<ChatMessage> {
  try {
    return await executeToolCall(call, {
      catalog: options.catalog,
      filter: options.filter,
      timeoutMs: options.toolTimeoutMs,
      signal: options.signal,
    });
  } catch (error) {
    if (!(error instanceof McpToolError) || error.code === 'cancelled') throw error;
    return { role: 'tool', content: `Error: ${error.message}`, tool_call_id: call.id };
  }
}
