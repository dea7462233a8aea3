import type {
  ChatRequest,
  ChatResponse,
  Plugin,
  PluginContext,
  PluginGateway,
  PostHookOutcome,
  RequestType,
  ToolCall,
} from '@bifrost/schemas';

/** A model scripted by the test: answers each request it is sent. */
export type ScriptedModel = (request: ChatRequest) => ChatResponse;

/** A stand-in for the engine: runs one plugin's hooks around a scripted model, as `Bifrost` does. */
export interface FakeGateway extends PluginGateway {
  /** Every request the model received, after the plugin's preHook. */
  sent: ChatRequest[];
  /** Request ids of every call, outer and nested. */
  requestIds: string[];
  /** Runs one request through the plugin as the engine would, streamed or not. */
  send(
    request: ChatRequest,
    options?: { type?: RequestType; headers?: Record<string, string>; requestId?: string },
  ): Promise<ChatResponse>;
}

/** Builds the fake and hands it to the plugin's `setup`. */
export function fakeGateway(plugin: Plugin, model: ScriptedModel): FakeGateway {
  const sent: ChatRequest[] = [];
  const requestIds: string[] = [];
  const send: FakeGateway['send'] = async (request, options = {}) => {
    const requestId = options.requestId ?? `request-${requestIds.length + 1}`;
    requestIds.push(requestId);
    const context: PluginContext = {
      requestId,
      requestType: options.type ?? 'chat_completion',
      provider: request.provider,
      model: request.model,
      fallbackIndex: 0,
      headers: options.headers ?? {},
      values: new Map(),
      signal: new AbortController().signal,
      startedAt: 0,
    };
    const pre = (await plugin.preHook?.(context, request)) ?? {};
    const current = (pre.request as ChatRequest | undefined) ?? request;
    if (pre.shortCircuit) {
      if ('error' in pre.shortCircuit) throw new Error(pre.shortCircuit.error.error.message);
      return pre.shortCircuit.response as ChatResponse;
    }
    sent.push(current);
    const answered: PostHookOutcome = { response: model(current) };
    const outcome = (await plugin.postHook?.(context, answered)) ?? answered;
    if (outcome.error) throw new Error(outcome.error.error.message);
    return outcome.response as ChatResponse;
  };
  const gateway: FakeGateway = {
    providers: ['openai'],
    queueStats: () => ({}),
    chatCompletion: (request, options) =>
      send(request, { headers: options?.headers, requestId: options?.requestId }),
    sent,
    requestIds,
    send,
  };
  plugin.setup?.(gateway);
  return gateway;
}

/** A chat completion that says `text`, or calls the given tools. */
export function chatAnswer(answer: string | ToolCall[]): ChatResponse {
  const calls = typeof answer !== 'string';
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion',
    created: 0,
    model: 'gpt-4o-mini',
    choices: [
      {
        index: 0,
        message: calls
          ? { role: 'assistant', content: null, tool_calls: answer }
          : { role: 'assistant', content: answer },
        finish_reason: calls ? 'tool_calls' : 'stop',
      },
    ],
    extra_fields: { provider: 'openai', model: 'gpt-4o-mini', latency: 1 },
  };
}

/** An OpenAI tool call. */
export function toolCall(id: string, name: string, args: unknown): ToolCall {
  return { id, type: 'function', function: { name, arguments: JSON.stringify(args) } };
}
