import type { IntegrationUpstream } from './integration-upstreams.js';
import { type OpenAIUpstream, startOpenAIUpstream } from './openai-upstream.js';

type JsonObject = Record<string, unknown>;
const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The OpenAI-format row of the SDK matrix: `tests/support/openai-upstream.ts`, which echoes `echo: <text>`. */
export async function startOpenAIIntegrationUpstream(apiKey: string): Promise<IntegrationUpstream> {
  const upstream: OpenAIUpstream = await startOpenAIUpstream({ apiKeys: [apiKey] });
  return {
    format: 'openai',
    provider: 'openai',
    chatModel: 'gpt-4o-mini',
    embeddingModel: 'text-embedding-3-small',
    toolResultsCarryCallIds: true,
    apiKey,
    url: upstream.url,
    // The fake echoes the last user message and calls the first tool it is given, streamed or not.
    expectChat: () => {},
    expectToolCall: () => {},
    cutNextStream: () =>
      upstream.enqueue({
        kind: 'sse',
        done: false,
        dropConnection: true,
        chunks: [
          {
            id: 'chatcmpl-cut',
            object: 'chat.completion.chunk',
            created: 1694268190,
            model: 'gpt-4o-mini',
            choices: [{ index: 0, delta: { role: 'assistant', content: 'Once' }, finish_reason: null }],
          },
        ],
      }),
    failNext: (status) =>
      upstream.enqueue(
        status === 429
          ? { kind: 'error', status, headers: { 'retry-after': '1' } }
          : { kind: 'error', status, param: 'messages', code: 'invalid_value' },
      ),
    requestCount: () => upstream.requests.length,
    lastRequestBody: () => upstream.requests.at(-1)?.body,
    lastToolResult: () => {
      const body = upstream.requests.at(-1)?.body;
      if (!isObject(body) || !Array.isArray(body.messages)) return undefined;
      const tool = body.messages.find((message) => isObject(message) && message.role === 'tool');
      if (!isObject(tool)) return undefined;
      const content = tool.content;
      const text = Array.isArray(content)
        ? content.map((part) => (isObject(part) ? String(part.text) : '')).join('')
        : String(content);
      return { callId: String(tool.tool_call_id), content: text };
    },
    lastCredential: () => {
      const value = upstream.requests.at(-1)?.headers.authorization;
      return typeof value === 'string' ? value.replace(/^Bearer /, '') : undefined;
    },
    reset: () => upstream.reset(),
    close: () => upstream.close(),
  };
}
