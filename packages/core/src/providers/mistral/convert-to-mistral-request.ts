import type {
  AssistantMessage,
  ChatMessage,
  ChatRequest,
  ContentPart,
  EmbeddingRequest,
  Tool,
  ToolChoice,
} from '@bifrost/schemas';
import { toMistralToolCallId } from './mistral-tool-call-id.js';

/** A request body for Mistral and the options it could not carry. */
export interface MistralRequestBody {
  body: Record<string, unknown>;
  warnings: string[];
}

/** Chat parameters Mistral takes under the same name and meaning as OpenAI. */
const sameNameChatParameters: ReadonlySet<string> = new Set([
  'temperature',
  'top_p',
  'max_tokens',
  'stop',
  'presence_penalty',
  'frequency_penalty',
  'n',
  'response_format',
  'parallel_tool_calls',
  'reasoning_effort',
  'prediction',
  'metadata',
  // Mistral's own options, passed through when a caller sets them.
  'random_seed',
  'prompt_mode',
  'safe_prompt',
  'guardrails',
  'prompt_cache_key',
]);

/** Mistral's `service_tier` values; OpenAI's others (`default`, `flex`, `priority`) mean nothing to it. */
const mistralServiceTiers: ReadonlySet<unknown> = new Set(['auto', 'standard_only']);

/**
 * Translates an OpenAI-shaped chat request into Mistral's `POST /v1/chat/completions` body: `seed` becomes
 * `random_seed`, `max_completion_tokens` `max_tokens`, `tool_choice: "required"` `"any"`, the developer role
 * `system`, reasoning replayed as `thinking` chunks, tool call ids rewritten to the nine alphanumeric
 * characters Mistral demands. Options Mistral does not know are dropped with a warning.
 */
export function toMistralChatBody(request: ChatRequest, stream: boolean): MistralRequestBody {
  const warnings = new Set<string>();
  const body: Record<string, unknown> = { model: request.model };
  const params = request.params ?? {};
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (sameNameChatParameters.has(name)) body[name] = value;
    else translateChatParameter(name, value, body, warnings);
  }
  if (body.max_tokens === undefined && params.max_completion_tokens !== undefined) {
    body.max_tokens = params.max_completion_tokens;
  }
  if (body.random_seed === undefined && params.seed !== undefined) body.random_seed = params.seed;
  body.messages = toMistralMessages(request.messages, warnings);
  body.stream = stream;
  return { body, warnings: [...warnings] };
}

function translateChatParameter(
  name: string,
  value: unknown,
  body: Record<string, unknown>,
  warnings: Set<string>,
): void {
  switch (name) {
    case 'seed':
    case 'max_completion_tokens':
    case 'stream':
      return; // mapped after the loop, or the engine's decision
    case 'stream_options':
      return; // Mistral always puts usage on a stream's last chunk and has no such option
    case 'tools':
      body.tools = (value as Tool[]).map((tool) => toMistralTool(tool, warnings));
      return;
    case 'tool_choice':
      body.tool_choice = toMistralToolChoice(value as ToolChoice);
      return;
    case 'service_tier':
      if (mistralServiceTiers.has(value)) body.service_tier = value;
      else warnings.add(`mistral ignores service_tier "${String(value)}"`);
      return;
    default:
      warnings.add(`mistral ignores ${name}`);
  }
}

function toMistralTool(tool: Tool, warnings: Set<string>): Record<string, unknown> {
  if (tool.cache_control) warnings.add('mistral ignores cache_control');
  const { name, description, parameters, strict } = tool.function;
  const mistralFunction: Record<string, unknown> = {
    name,
    // Mistral requires a parameters schema; OpenAI lets a function without arguments leave it out.
    parameters: parameters ?? { type: 'object', properties: {} },
  };
  if (description !== undefined) mistralFunction.description = description;
  if (strict !== undefined) mistralFunction.strict = strict;
  return { type: 'function', function: mistralFunction };
}

function toMistralToolChoice(choice: ToolChoice): unknown {
  return choice === 'required' ? 'any' : choice;
}

function toMistralMessages(messages: ChatMessage[], warnings: Set<string>): Record<string, unknown>[] {
  // Tool messages carry the function name in Mistral's examples; OpenAI's only say which call they answer.
  const toolNames = new Map<string, string>();
  const translated: Record<string, unknown>[] = [];
  const ids: IdRewrites = { rewritten: false };
  for (const message of messages) {
    if ('name' in message && message.name !== undefined) warnings.add('mistral ignores message names');
    switch (message.role) {
      case 'system':
      case 'developer':
        translated.push({ role: 'system', content: toMistralContent(message.content, warnings) });
        break;
      case 'user':
        translated.push({ role: 'user', content: toMistralContent(message.content, warnings) });
        break;
      case 'assistant':
        for (const call of message.tool_calls ?? []) toolNames.set(call.id, call.function.name);
        translated.push(toMistralAssistant(message, ids, warnings));
        break;
      case 'tool': {
        const tool: Record<string, unknown> = {
          role: 'tool',
          content: toMistralContent(message.content, warnings),
          tool_call_id: mistralId(message.tool_call_id, ids),
        };
        const name = toolNames.get(message.tool_call_id);
        if (name !== undefined) tool.name = name;
        translated.push(tool);
        break;
      }
    }
  }
  if (ids.rewritten) {
    warnings.add('mistral accepts only 9-character alphanumeric tool call ids: replayed ids were rewritten');
  }
  return translated;
}

/** Whether any tool call id of the request had to be rewritten, so the caller hears of it once. */
interface IdRewrites {
  rewritten: boolean;
}

function mistralId(id: string, ids: IdRewrites): string {
  const mapped = toMistralToolCallId(id);
  if (mapped !== id) ids.rewritten = true;
  return mapped;
}

function toMistralAssistant(
  message: AssistantMessage,
  ids: IdRewrites,
  warnings: Set<string>,
): Record<string, unknown> {
  const assistant: Record<string, unknown> = { role: 'assistant' };
  const thinking = thinkingChunks(message, warnings);
  const content = message.content == null ? null : toMistralContent(message.content, warnings);
  if (thinking.length === 0) {
    assistant.content = content;
  } else {
    const chunks: unknown[] = thinking;
    if (typeof content === 'string' && content !== '') chunks.push({ type: 'text', text: content });
    else if (Array.isArray(content)) chunks.push(...content);
    assistant.content = chunks;
  }
  if (message.tool_calls && message.tool_calls.length > 0) {
    assistant.tool_calls = message.tool_calls.map((call) => ({
      id: mistralId(call.id, ids),
      type: 'function',
      function: { name: call.function.name, arguments: call.function.arguments },
    }));
  }
  return assistant;
}

/** Reasoning from an earlier answer, as the `thinking` chunks Magistral expects to see again. */
function thinkingChunks(message: AssistantMessage, warnings: Set<string>): Record<string, unknown>[] {
  if (message.reasoning_details && message.reasoning_details.length > 0) {
    const chunks: Record<string, unknown>[] = [];
    for (const detail of message.reasoning_details) {
      if (detail.type !== 'reasoning.text') {
        warnings.add('mistral cannot take encrypted reasoning back: it was left out');
        continue;
      }
      const chunk: Record<string, unknown> = {
        type: 'thinking',
        thinking: [{ type: 'text', text: detail.text }],
      };
      if (detail.signature !== undefined) chunk.signature = detail.signature;
      chunks.push(chunk);
    }
    return chunks;
  }
  if (message.reasoning) return [{ type: 'thinking', thinking: [{ type: 'text', text: message.reasoning }] }];
  return [];
}

function toMistralContent(
  content: string | readonly ContentPart[],
  warnings: Set<string>,
): string | Record<string, unknown>[] {
  if (typeof content === 'string') return content;
  return content.map((part) => toMistralContentPart(part, warnings));
}

function toMistralContentPart(part: ContentPart, warnings: Set<string>): Record<string, unknown> {
  if ('cache_control' in part && part.cache_control !== undefined)
    warnings.add('mistral ignores cache_control');
  switch (part.type) {
    case 'text':
      return { type: 'text', text: part.text };
    case 'image_url':
      return { type: 'image_url', image_url: part.image_url };
    case 'input_audio':
      return { type: 'input_audio', input_audio: part.input_audio.data };
    case 'file':
      if (part.file.file_id !== undefined) return { type: 'file', file_id: part.file.file_id };
      return {
        type: 'document_url',
        document_url: part.file.file_data ?? '',
        ...(part.file.filename === undefined ? {} : { document_name: part.file.filename }),
      };
  }
}

/** Embedding parameters Mistral takes under the same name. */
const sameNameEmbeddingParameters: ReadonlySet<string> = new Set([
  'encoding_format',
  'output_dimension',
  'output_dtype',
  'metadata',
]);

/** Translates an embedding request into Mistral's `POST /v1/embeddings` body (`dimensions` → `output_dimension`). */
export function toMistralEmbeddingBody(request: EmbeddingRequest): MistralRequestBody {
  const warnings: string[] = [];
  const body: Record<string, unknown> = { model: request.model, input: request.input };
  for (const [name, value] of Object.entries(request.params ?? {})) {
    if (value === undefined) continue;
    if (sameNameEmbeddingParameters.has(name)) body[name] = value;
    else if (name === 'dimensions') body.output_dimension ??= value;
    else warnings.push(`mistral ignores ${name}`);
  }
  return { body, warnings };
}
