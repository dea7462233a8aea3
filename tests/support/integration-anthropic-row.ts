import { type AnthropicStreamEvent, startAnthropicUpstream } from './anthropic-upstream.js';
import { echoOf, type IntegrationUpstream, type ReplyOptions } from './integration-upstreams.js';

type JsonObject = Record<string, unknown>;
const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const usage = { input_tokens: 12, output_tokens: 6 };

function message(model: string, content: JsonObject[], stopReason: string) {
  return {
    id: 'msg_013Zva2CMHLNnXjNJJKqJ2EF',
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage,
  };
}

/** Anthropic's documented event order for one content block, its deltas given. */
function events(
  model: string,
  block: JsonObject,
  deltas: JsonObject[],
  stopReason: string,
): AnthropicStreamEvent[] {
  return [
    {
      type: 'message_start',
      message: {
        ...message(model, [], stopReason),
        stop_reason: null,
        usage: { ...usage, output_tokens: 1 },
      },
    },
    { type: 'content_block_start', index: 0, content_block: block },
    { type: 'ping' },
    ...deltas.map((delta) => ({ type: 'content_block_delta', index: 0, delta })),
    { type: 'content_block_stop', index: 0 },
    {
      type: 'message_delta',
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: { output_tokens: 6 },
    },
    { type: 'message_stop' },
  ];
}

/**
 * The Anthropic-format row of the SDK matrix: `tests/support/anthropic-upstream.ts`. Its default echoes the
 * last user text, which after a tool result is empty, so every answer is scripted here in Anthropic's documented
 * shapes (a message, or its event stream).
 */
export async function startAnthropicIntegrationUpstream(apiKey: string): Promise<IntegrationUpstream> {
  const upstream = await startAnthropicUpstream({ apiKeys: [apiKey] });
  const model = 'claude-3-5-haiku-latest';
  return {
    format: 'anthropic',
    provider: 'anthropic',
    chatModel: model,
    toolResultsCarryCallIds: true,
    apiKey,
    url: upstream.url,
    expectChat: (question: string, { stream }: ReplyOptions) => {
      const text = echoOf(question);
      const words = text.match(/\s*\S+/g) ?? [text];
      upstream.enqueue(
        stream
          ? {
              kind: 'stream',
              events: events(
                model,
                { type: 'text', text: '' },
                words.map((word) => ({ type: 'text_delta', text: word })),
                'end_turn',
              ),
            }
          : { kind: 'json', body: message(model, [{ type: 'text', text }], 'end_turn') },
      );
    },
    expectToolCall: (tool, args, { stream }) => {
      const id = 'toolu_01A09q90qw90lq917835lq9';
      const json = JSON.stringify(args);
      upstream.enqueue(
        stream
          ? {
              kind: 'stream',
              events: events(
                model,
                { type: 'tool_use', id, name: tool, input: {} },
                [json.slice(0, 8), json.slice(8)].map((partial_json) => ({
                  type: 'input_json_delta',
                  partial_json,
                })),
                'tool_use',
              ),
            }
          : {
              kind: 'json',
              body: message(model, [{ type: 'tool_use', id, name: tool, input: args }], 'tool_use'),
            },
      );
    },
    cutNextStream: () =>
      upstream.enqueue({
        kind: 'stream',
        dropConnection: true,
        events: events(
          model,
          { type: 'text', text: '' },
          [{ type: 'text_delta', text: 'Once' }],
          'end_turn',
        ).slice(0, 4),
      }),
    failNext: (status) =>
      upstream.enqueue(
        status === 429
          ? { kind: 'error', status, headers: { 'retry-after': '1' } }
          : { kind: 'error', status, message: 'messages: text content blocks must be non-empty' },
      ),
    requestCount: () => upstream.requests.length,
    lastRequestBody: () => upstream.requests.at(-1)?.body,
    lastToolResult: () => {
      const body = upstream.requests.at(-1)?.body;
      if (!isObject(body) || !Array.isArray(body.messages)) return undefined;
      for (const turn of body.messages) {
        if (!isObject(turn) || turn.role !== 'user' || !Array.isArray(turn.content)) continue;
        const result = turn.content.find((block) => isObject(block) && block.type === 'tool_result');
        if (!isObject(result)) continue;
        const content = Array.isArray(result.content)
          ? result.content.map((block) => (isObject(block) ? String(block.text) : '')).join('')
          : String(result.content);
        return { callId: String(result.tool_use_id), content };
      }
      return undefined;
    },
    lastCredential: () => {
      const value = upstream.requests.at(-1)?.headers['x-api-key'];
      return typeof value === 'string' ? value : undefined;
    },
    reset: () => upstream.reset(),
    close: () => upstream.close(),
  };
}
