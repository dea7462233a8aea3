import type {
  AssistantMessage,
  ChatMessage,
  ChatRequest,
  ContentPart,
  ModelParameters,
  TextContentPart,
  Tool,
  ToolCall,
} from '@bifrost/schemas';
import { GatewayError } from '../../errors/gateway-error.js';
import type { OllamaMessage, OllamaToolCall } from './ollama-api.js';

/** OpenAI parameters that Ollama reads from `options`, under Ollama's name. */
const optionNames: Readonly<Record<string, string>> = {
  temperature: 'temperature',
  top_p: 'top_p',
  top_k: 'top_k',
  seed: 'seed',
  presence_penalty: 'presence_penalty',
  frequency_penalty: 'frequency_penalty',
  min_p: 'min_p',
  repeat_penalty: 'repeat_penalty',
  num_ctx: 'num_ctx',
  max_tokens: 'num_predict',
  max_completion_tokens: 'num_predict',
};

/** Ollama's own top-level fields, passed through when a caller sets them. */
const nativeParameters: ReadonlySet<string> = new Set(['keep_alive', 'think', 'format']);

/** Parameters translated below, or the engine's own, never sent as they are. */
const translatedParameters: ReadonlySet<string> = new Set([
  'stop',
  'options',
  'response_format',
  'tools',
  'tool_choice',
  'reasoning_effort',
  'stream',
  'stream_options',
]);

/**
 * Translates the parameters `/api/chat` and `/api/generate` share: generation options into `options`,
 * `response_format` into `format`, `reasoning_effort` into `think`, and Ollama's own fields as they are.
 */
export function toOllamaParameters(
  params: ModelParameters,
  body: Record<string, unknown>,
  warnings: string[],
  ignoredHere: ReadonlySet<string> = translatedParameters,
): void {
  const options: Record<string, unknown> =
    typeof params.options === 'object' && params.options !== null ? { ...params.options } : {};
  for (const name in params) {
    const value = params[name];
    if (value === undefined || value === null) continue;
    const option = optionNames[name];
    if (option !== undefined) options[option] = value;
    else if (nativeParameters.has(name)) body[name] = value;
    else if (!ignoredHere.has(name) && !translatedParameters.has(name) && !isHarmlessDefault(name, value)) {
      warnings.push(`ollama ignores ${name}`);
    }
  }
  if (params.stop !== undefined && params.stop !== null) {
    options.stop = typeof params.stop === 'string' ? [params.stop] : params.stop;
  }
  if (Object.keys(options).length > 0) body.options = options;

  const responseFormat = params.response_format;
  if (params.format === undefined) {
    if (responseFormat?.type === 'json_object') body.format = 'json';
    else if (responseFormat?.type === 'json_schema')
      body.format = responseFormat.json_schema.schema ?? 'json';
  }
  if (params.think === undefined && params.reasoning_effort !== undefined) {
    // Ollama's levels are low, medium and high; a thinking model without levels treats any of them as on.
    if (params.reasoning_effort === 'minimal')
      warnings.push('ollama has no minimal reasoning effort; sent think "low"');
    body.think = params.reasoning_effort === 'minimal' ? 'low' : params.reasoning_effort;
  }
}

/**
 * Translates an OpenAI-shaped chat request into an Ollama `POST /api/chat` body, `model` included, `stream`
 * left to the caller. Options Ollama cannot honour come back as warnings.
 */
export function toOllamaChatRequest(request: ChatRequest): {
  body: Record<string, unknown>;
  warnings: string[];
} {
  const warnings: string[] = [];
  const params: ModelParameters = request.params ?? {};
  const body: Record<string, unknown> = {
    model: request.model,
    messages: translateMessages(request, warnings),
  };
  toOllamaParameters(params, body, warnings);

  const choice = params.tool_choice;
  // Ollama has no tool_choice; `none` is honoured by offering no tools at all.
  if (params.tools !== undefined && params.tools.length > 0 && choice !== 'none') {
    body.tools = params.tools.map((tool) => toOllamaTool(tool, warnings));
    if (choice === 'required' || (typeof choice === 'object' && choice !== null))
      warnings.push('ollama ignores tool_choice');
  }
  return { body, warnings };
}

function isHarmlessDefault(name: string, value: unknown): boolean {
  return (
    (name === 'n' && value === 1) ||
    (name === 'logprobs' && value === false) ||
    (name === 'parallel_tool_calls' && value === true) ||
    (name === 'response_format' && (value as { type?: unknown }).type === 'text')
  );
}

function toOllamaTool(tool: Tool, warnings: string[]): Record<string, unknown> {
  const fn: Record<string, unknown> = { name: tool.function.name };
  if (tool.function.description !== undefined) fn.description = tool.function.description;
  fn.parameters = tool.function.parameters ?? { type: 'object', properties: {} };
  if (tool.function.strict === true)
    warnings.push(`ollama ignores tools[].function.strict (${tool.function.name})`);
  if (tool.cache_control !== undefined)
    warnings.push(`ollama ignores cache_control on tools (${tool.function.name})`);
  return { type: 'function', function: fn };
}

function translateMessages(request: ChatRequest, warnings: string[]): OllamaMessage[] {
  const messages: OllamaMessage[] = [];
  for (let index = 0; index < request.messages.length; index++) {
    const message = request.messages[index]!;
    messages.push(translateMessage(message, index, request, warnings));
  }
  return messages;
}

function translateMessage(
  message: ChatMessage,
  position: number,
  request: ChatRequest,
  warnings: string[],
): OllamaMessage {
  switch (message.role) {
    case 'system':
    case 'developer':
      return { role: 'system', content: joinText(message.content) };
    case 'user':
      return toUserMessage(message.content, request, warnings);
    case 'assistant':
      return toAssistantMessage(message, request);
    case 'tool': {
      const translated: OllamaMessage = { role: 'tool', content: joinText(message.content) };
      const name = toolNameFor(message.tool_call_id, request.messages, position);
      if (name !== undefined) translated.tool_name = name;
      else warnings.push(`ollama got a tool result for ${message.tool_call_id} with no matching tool call`);
      return translated;
    }
  }
}

/** Ollama labels a tool result with the tool's name, which OpenAI keeps only on the assistant's call. */
function toolNameFor(
  toolCallId: string,
  messages: readonly ChatMessage[],
  before: number,
): string | undefined {
  // Search backwards: generated ids (`call_0`, …) repeat from one turn to the next.
  for (let index = before - 1; index >= 0; index--) {
    const message = messages[index]!;
    if (message.role !== 'assistant' || message.tool_calls === undefined) continue;
    const call = message.tool_calls.find((candidate) => candidate.id === toolCallId);
    if (call !== undefined) return call.function.name;
  }
  return undefined;
}

function joinText(content: string | TextContentPart[]): string {
  if (typeof content === 'string') return content;
  return content.map((part) => part.text).join('\n');
}

function toUserMessage(
  content: string | ContentPart[],
  request: ChatRequest,
  warnings: string[],
): OllamaMessage {
  if (typeof content === 'string') return { role: 'user', content };
  const texts: string[] = [];
  const images: string[] = [];
  for (const part of content) {
    if (part.type === 'text') texts.push(part.text);
    else if (part.type === 'image_url') {
      const base64 = base64FromDataUrl(part.image_url.url);
      // Fetching a remote image would make the gateway a client of arbitrary URLs; callers can inline it.
      if (base64 === undefined)
        warnings.push('ollama takes images only as base64 data URLs; skipped an image URL');
      else images.push(base64);
    } else {
      throw new GatewayError('invalid_request', `ollama cannot read ${part.type} content`, {
        provider: 'ollama',
        model: request.model,
        param: 'messages',
        allowFallbacks: true,
      });
    }
  }
  const translated: OllamaMessage = { role: 'user', content: texts.join('\n') };
  if (images.length > 0) translated.images = images;
  return translated;
}

function base64FromDataUrl(url: string): string | undefined {
  if (!url.startsWith('data:')) return undefined;
  const marker = url.indexOf(';base64,');
  return marker === -1 ? undefined : url.slice(marker + ';base64,'.length);
}

function toAssistantMessage(message: AssistantMessage, request: ChatRequest): OllamaMessage {
  const content = message.content;
  const translated: OllamaMessage = {
    role: 'assistant',
    content: content === undefined || content === null ? '' : joinText(content),
  };
  if (message.reasoning) translated.thinking = message.reasoning;
  if (message.tool_calls !== undefined && message.tool_calls.length > 0) {
    translated.tool_calls = message.tool_calls.map((call) => toOllamaToolCall(call, request));
  }
  return translated;
}

function toOllamaToolCall(call: ToolCall, request: ChatRequest): OllamaToolCall {
  let parsed: unknown;
  try {
    parsed = call.function.arguments.trim() === '' ? {} : JSON.parse(call.function.arguments);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new GatewayError(
      'invalid_request',
      `ollama needs tool call arguments as a JSON object; ${call.id} has ${JSON.stringify(call.function.arguments)}`,
      { provider: 'ollama', model: request.model, param: 'messages' },
    );
  }
  return { function: { name: call.function.name, arguments: parsed as Record<string, unknown> } };
}
