import type { RecordedRequest, UpstreamHandler, UpstreamReply } from './openai-upstream.js';

/** The messages of a chat request the fake upstream received. */
export function messagesOf(
  request: RecordedRequest,
): { role: string; content?: unknown; tool_call_id?: string }[] {
  return (request.body as { messages: { role: string }[] }).messages;
}

/** The tool names of a chat request the fake upstream received. */
export function toolNamesOf(request: RecordedRequest): string[] {
  const tools = (request.body as { tools?: { function: { name: string } }[] }).tools ?? [];
  return tools.map((tool) => tool.function.name);
}

/**
 * A model that calls one tool and, once the conversation ends with the tool's result, answers
 * `The tool said: <result>`, as a model in an agent loop does.
 */
export function callsToolThenAnswers(name: string, args: unknown): UpstreamHandler {
  return (request) => {
    const last = messagesOf(request).at(-1)!;
    if (last.role === 'tool')
      return chatReply({ role: 'assistant', content: `The tool said: ${last.content}` }, 'stop');
    return chatReply(
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name, arguments: JSON.stringify(args) } }],
      },
      'tool_calls',
    );
  };
}

/** A chat completion in OpenAI's wire shape. */
export function chatReply(message: Record<string, unknown>, finishReason: string): UpstreamReply {
  return {
    kind: 'json',
    body: {
      id: 'chatcmpl-mcp',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'gpt-4o-mini',
      choices: [{ index: 0, message, finish_reason: finishReason, logprobs: null }],
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
    },
  };
}
