import { createHash } from 'node:crypto';
import { readOpenAIFixture } from './openai-fixtures.js';
import type { RecordedRequest, UpstreamReply } from './openai-upstream.js';

type JsonObject = Record<string, unknown>;
type CreateReply = (body: JsonObject, id: string) => UpstreamReply;

/** Length of the vectors the fake returns when the request does not ask for `dimensions`. */
export const DEFAULT_EMBEDDING_DIMENSIONS = 8;

// Every chunk of one stream shares these, as in the documented streaming example.
const STREAM_CREATED = 1694268190;
const SYSTEM_FINGERPRINT = 'fp_44709d6fcb';

const createReplies: Readonly<Record<string, CreateReply>> = {
  '/v1/chat/completions': replyToChatCompletion,
  '/v1/completions': replyToCompletion,
  '/v1/embeddings': replyToEmbeddings,
};

/**
 * Answers a request the way OpenAI would, deterministically: chat and completions echo the prompt as
 * `echo: <text>`, embeddings are small vectors derived from the input, unknown routes get OpenAI's 404.
 *
 * A custom handler can delegate to it for the requests it does not script.
 */
export function defaultOpenAIReply(request: RecordedRequest): UpstreamReply {
  if (request.method === 'GET' && request.path === '/v1/models') {
    return { kind: 'json', body: readOpenAIFixture('models') };
  }
  const modelId = /^\/v1\/models\/([^/]+)$/.exec(request.path)?.[1];
  if (request.method === 'GET' && modelId) {
    return {
      kind: 'json',
      body: { id: decodeURIComponent(modelId), object: 'model', created: 1686935002, owned_by: 'openai' },
    };
  }
  const create = request.method === 'POST' ? createReplies[request.path] : undefined;
  if (!create) {
    return {
      kind: 'error',
      status: 404,
      type: 'invalid_request_error',
      code: null,
      param: null,
      message: `Invalid URL (${request.method} ${request.path})`,
    };
  }
  if (!isObject(request.body)) {
    return { kind: 'json', status: 400, body: readOpenAIFixture('error-400-invalid-json') };
  }
  if (typeof request.body.model !== 'string' || request.body.model === '') {
    return { kind: 'json', status: 400, body: readOpenAIFixture('error-400-missing-model') };
  }
  const id = createHash('sha256').update(`${request.path}\n${request.rawBody}`).digest('hex').slice(0, 24);
  return create(request.body, id);
}

function replyToChatCompletion(body: JsonObject, id: string): UpstreamReply {
  const messages = body.messages;
  if (!Array.isArray(messages)) return missingParameter('messages');
  if (messages.length === 0) {
    return {
      kind: 'error',
      status: 400,
      param: 'messages',
      code: 'empty_array',
      message:
        "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
    };
  }
  const lastUserMessage = messages.findLast((message) => isObject(message) && message.role === 'user');
  const userText = isObject(lastUserMessage) ? textOf(lastUserMessage.content) : '';
  const text = `echo: ${userText}`;
  const toolName = messages.at(-1) === lastUserMessage ? chooseTool(body) : undefined;
  const toolCall = toolName && {
    id: `call_${id}`,
    name: toolName,
    arguments: JSON.stringify({ echo: userText }),
  };
  const promptTokens = messages.reduce<number>(
    (sum, message) => sum + countTokens(isObject(message) ? textOf(message.content) : ''),
    0,
  );
  const usage = usageOf(promptTokens, countTokens(toolCall ? toolCall.arguments : text));
  const model = body.model as string;

  if (body.stream === true) {
    const chunk = (delta: JsonObject, finishReason: string | null = null) => ({
      id: `chatcmpl-${id}`,
      object: 'chat.completion.chunk',
      created: STREAM_CREATED,
      model,
      system_fingerprint: SYSTEM_FINGERPRINT,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    });
    const chunks = toolCall
      ? [
          chunk({
            role: 'assistant',
            content: null,
            tool_calls: [
              {
                index: 0,
                id: toolCall.id,
                type: 'function',
                function: { name: toolCall.name, arguments: '' },
              },
            ],
            refusal: null,
          }),
          ...splitArguments(toolCall.arguments).map((fragment) =>
            chunk({ tool_calls: [{ index: 0, function: { arguments: fragment } }] }),
          ),
          chunk({}, 'tool_calls'),
        ]
      : [
          chunk({ role: 'assistant', content: '', refusal: null }),
          ...splitWords(text).map((piece) => chunk({ content: piece })),
          chunk({}, 'stop'),
        ];
    return { kind: 'sse', chunks: withStreamUsage(body, chunks, { ...chunks[0]!, choices: [], usage }) };
  }

  const message = toolCall
    ? {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: toolCall.id,
            type: 'function',
            function: { name: toolCall.name, arguments: toolCall.arguments },
          },
        ],
        refusal: null,
        annotations: [],
      }
    : { role: 'assistant', content: text, refusal: null, annotations: [] };
  const completion = readOpenAIFixture<JsonObject & { choices: JsonObject[] }>(
    toolCall ? 'chat-completion-tool-call' : 'chat-completion',
  );
  const choices = [{ ...completion.choices[0], message }];
  return { kind: 'json', body: { ...completion, id: `chatcmpl-${id}`, model, choices, usage } };
}

function replyToCompletion(body: JsonObject, id: string): UpstreamReply {
  const prompts =
    Array.isArray(body.prompt) && body.prompt.every((item) => typeof item === 'string')
      ? body.prompt
      : [body.prompt];
  const texts = prompts.map((prompt) => `echo: ${promptText(prompt)}`);
  const promptTokens = prompts.reduce<number>((sum, prompt) => sum + countTokens(promptText(prompt)), 0);
  const completionTokens = texts.reduce((sum, text) => sum + countTokens(text), 0);
  // The legacy endpoint reports bare token counts, without the *_details objects of chat.
  const usage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
  const envelope = {
    id: `cmpl-${id}`,
    object: 'text_completion',
    created: STREAM_CREATED,
    model: body.model,
    system_fingerprint: SYSTEM_FINGERPRINT,
  };

  if (body.stream === true) {
    const chunk = (text: string, index: number, finishReason: string | null = null) => ({
      ...envelope,
      choices: [{ text, index, logprobs: null, finish_reason: finishReason }],
    });
    const chunks = texts.flatMap((text, index) => [
      ...splitWords(text).map((piece) => chunk(piece, index)),
      chunk('', index, 'stop'),
    ]);
    return { kind: 'sse', chunks: withStreamUsage(body, chunks, { ...envelope, choices: [], usage }) };
  }
  const completion = readOpenAIFixture<JsonObject>('completion');
  const choices = texts.map((text, index) => ({ text, index, logprobs: null, finish_reason: 'stop' }));
  return { kind: 'json', body: { ...completion, ...envelope, choices, usage } };
}

function replyToEmbeddings(body: JsonObject): UpstreamReply {
  const input = body.input;
  if (input === undefined) return missingParameter('input');
  const isTokenArray = Array.isArray(input) && input.every((item) => typeof item === 'number');
  const inputs: unknown[] = Array.isArray(input) && !isTokenArray ? input : [input];
  const dimensions =
    typeof body.dimensions === 'number' && body.dimensions > 0
      ? body.dimensions
      : DEFAULT_EMBEDDING_DIMENSIONS;
  const data = inputs.map((item, index) => {
    const vector = embeddingOf(typeof item === 'string' ? item : JSON.stringify(item), dimensions);
    const embedding =
      body.encoding_format === 'base64'
        ? Buffer.from(new Float32Array(vector).buffer).toString('base64')
        : vector;
    return { object: 'embedding', embedding, index };
  });
  const promptTokens = inputs.reduce<number>(
    (sum, item) => sum + (typeof item === 'string' ? countTokens(item) : JSON.stringify(item).length),
    0,
  );
  const embeddings = readOpenAIFixture<JsonObject>('embeddings');
  return {
    kind: 'json',
    body: {
      ...embeddings,
      data,
      model: body.model,
      usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
    },
  };
}

/**
 * Deterministic embedding of `text`: multiples of 1/16 in [-0.5, 0.5], so float32 base64 round-trips exactly.
 */
export function embeddingOf(text: string, dimensions = DEFAULT_EMBEDDING_DIMENSIONS): number[] {
  let seed = 0;
  for (const character of text) seed = (seed * 31 + (character.codePointAt(0) ?? 0)) % 1009;
  return Array.from({ length: dimensions }, (_, index) => (((seed + index * 37) % 17) - 8) / 16);
}

function chooseTool(body: JsonObject): string | undefined {
  const choice = body.tool_choice;
  if (!Array.isArray(body.tools) || choice === 'none') return undefined;
  if (isObject(choice) && isObject(choice.function) && typeof choice.function.name === 'string') {
    return choice.function.name;
  }
  const tool = body.tools.find(
    (candidate) => isObject(candidate) && candidate.type === 'function' && isObject(candidate.function),
  );
  const name = isObject(tool) && isObject(tool.function) ? tool.function.name : undefined;
  return typeof name === 'string' ? name : undefined;
}

// With stream_options.include_usage, every chunk carries `usage: null` and one more chunk with empty choices
// carries the usage of the whole request.
function withStreamUsage(body: JsonObject, chunks: JsonObject[], usageChunk: JsonObject): JsonObject[] {
  const includeUsage = isObject(body.stream_options) && body.stream_options.include_usage === true;
  return includeUsage ? [...chunks.map((chunk) => ({ ...chunk, usage: null })), usageChunk] : chunks;
}

function usageOf(promptTokens: number, completionTokens: number) {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

// The code (missing_required_parameter) comes from the documented 400 example.
function missingParameter(param: string): UpstreamReply {
  return { kind: 'error', status: 400, param, message: `Missing required parameter: '${param}'.` };
}

function promptText(prompt: unknown): string {
  if (typeof prompt === 'string') return prompt;
  return prompt === undefined ? '' : JSON.stringify(prompt);
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .filter(
      (part): part is JsonObject => isObject(part) && part.type === 'text' && typeof part.text === 'string',
    )
    .map((part) => part.text)
    .join(' ');
}

function countTokens(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

// Word-sized pieces with their leading space, like the documented stream ("Hello", "!", " How", ...).
function splitWords(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [text];
}

function splitArguments(json: string): string[] {
  return json.match(/[\s\S]{1,5}/g) ?? [''];
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
