import type {
  AssistantMessage,
  CacheControl,
  ChatMessage,
  ChatRequest,
  ContentPart,
  ModelParameters,
  ReasoningDetail,
  TextContentPart,
  Tool,
  ToolCall,
  ToolChoice,
  ToolMessage,
} from '@bifrost/schemas';
import { invalidRequest } from '../../error-response.js';
import { resolveDialectModel } from '../resolve-dialect-model.js';
import {
  isWireObject,
  optionalBoolean,
  optionalNumber,
  optionalString,
  requireArray,
  requireObject,
  requireString,
  type WireObject,
} from '../wire-fields.js';

/** Fields of a Messages request that are translated; any other top-level field passes through as a parameter. */
const translatedFields = new Set([
  'model',
  'messages',
  'system',
  'max_tokens',
  'stop_sequences',
  'metadata',
  'thinking',
  'tools',
  'tool_choice',
  'stream',
]);

/** Options of {@link anthropicToChatRequest}. */
export interface AnthropicRequestOptions {
  /** `count_tokens` takes a Messages body without `max_tokens`. @default true */
  requireMaxTokens?: boolean;
}

/**
 * Translates an Anthropic Messages request into the engine's chat request: the system prompt becomes a system
 * message, tool results become tool messages, thinking blocks become `reasoning_details` (signatures kept), and
 * `cache_control` stays on text, image and file parts and on tools. A bare model is Anthropic's.
 */
export function anthropicToChatRequest(
  input: unknown,
  options: AnthropicRequestOptions = {},
): { request: ChatRequest; stream: boolean } {
  if (!isWireObject(input)) throw invalidRequest('request body must be a JSON object');
  const body = input;
  const { provider, model } = resolveDialectModel(body.model, 'anthropic');
  const messages: ChatMessage[] = [];
  const system = readSystem(body.system);
  if (system !== undefined) messages.push({ role: 'system', content: system });
  const turns = requireArray(body.messages, 'messages');
  if (turns.length === 0) throw invalidRequest('must contain at least one message', 'messages');
  for (let index = 0; index < turns.length; index++) readTurn(turns[index], `messages[${index}]`, messages);

  const params: ModelParameters = {};
  const maxTokens = optionalNumber(body.max_tokens, 'max_tokens');
  if (maxTokens !== undefined) params.max_tokens = maxTokens;
  else if (options.requireMaxTokens !== false) throw invalidRequest('is required', 'max_tokens');
  if (body.stop_sequences != null) params.stop = readStrings(body.stop_sequences, 'stop_sequences');
  if (body.metadata != null) {
    const userId = optionalString(requireObject(body.metadata, 'metadata').user_id, 'metadata.user_id');
    if (userId !== undefined) params.user = userId;
  }
  if (body.thinking != null) readThinking(body.thinking, provider === 'anthropic', params);
  if (body.tools != null) params.tools = readTools(body.tools);
  if (body.tool_choice != null) readToolChoice(body.tool_choice, params);
  for (const name in body) {
    if (!translatedFields.has(name)) params[name] = body[name];
  }
  const stream = optionalBoolean(body.stream, 'stream') === true;
  // Anthropic's last stream event carries the usage; OpenAI-shaped streams only report it when asked.
  if (stream) params.stream_options = { include_usage: true };

  const request: ChatRequest = { provider, model, messages };
  if (Object.keys(params).length > 0) request.params = params;
  return { request, stream };
}

function readSystem(value: unknown): string | TextContentPart[] | undefined {
  if (value == null) return undefined;
  if (typeof value === 'string') return value;
  const blocks = requireArray(value, 'system');
  return blocks.map((block, index) => readTextBlock(block, `system[${index}]`));
}

function readTextBlock(value: unknown, path: string): TextContentPart {
  const block = requireObject(value, path);
  if (block.type !== 'text') throw invalidRequest('must be "text"', `${path}.type`);
  return withCacheControl({ type: 'text', text: requireString(block.text, `${path}.text`) }, block);
}

/** Keeps a block's `cache_control` on the part or tool it becomes. */
function withCacheControl<Part extends ContentPart | Tool>(part: Part, block: WireObject): Part {
  if (block.cache_control == null) return part;
  const marker = requireObject(block.cache_control, 'cache_control');
  if (marker.type !== 'ephemeral') throw invalidRequest('must be "ephemeral"', 'cache_control.type');
  (part as { cache_control?: CacheControl }).cache_control = marker as unknown as CacheControl;
  return part;
}

function readTurn(value: unknown, path: string, messages: ChatMessage[]): void {
  const turn = requireObject(value, path);
  const content = turn.content;
  if (turn.role === 'user') {
    if (typeof content === 'string') {
      messages.push({ role: 'user', content });
      return;
    }
    readUserBlocks(requireArray(content, `${path}.content`), `${path}.content`, messages);
    return;
  }
  if (turn.role === 'assistant') {
    messages.push(
      typeof content === 'string'
        ? { role: 'assistant', content }
        : readAssistantBlocks(requireArray(content, `${path}.content`), `${path}.content`),
    );
    return;
  }
  throw invalidRequest('must be "user" or "assistant"', `${path}.role`);
}

/**
 * A user turn: tool results go first as tool messages (OpenAI wants them right after the assistant's calls),
 * then the rest of the turn as one user message.
 */
function readUserBlocks(blocks: unknown[], path: string, messages: ChatMessage[]): void {
  const parts: ContentPart[] = [];
  for (let index = 0; index < blocks.length; index++) {
    const blockPath = `${path}[${index}]`;
    const block = requireObject(blocks[index], blockPath);
    switch (block.type) {
      case 'text':
        parts.push(readTextBlock(block, blockPath));
        break;
      case 'image':
        parts.push(readImageBlock(block, blockPath));
        break;
      case 'document':
        parts.push(readDocumentBlock(block, blockPath));
        break;
      case 'tool_result':
        messages.push(readToolResult(block, blockPath, parts));
        break;
      default:
        throw invalidRequest(
          'must be one of text, image, document, tool_result in a user turn',
          `${blockPath}.type`,
        );
    }
  }
  if (parts.length > 0) messages.push({ role: 'user', content: parts });
}

function readImageBlock(block: WireObject, path: string): ContentPart {
  const source = requireObject(block.source, `${path}.source`);
  let url: string;
  if (source.type === 'base64') {
    const mediaType = requireString(source.media_type, `${path}.source.media_type`);
    url = `data:${mediaType};base64,${requireString(source.data, `${path}.source.data`)}`;
  } else if (source.type === 'url') {
    url = requireString(source.url, `${path}.source.url`);
  } else {
    throw invalidRequest('must be "base64" or "url"', `${path}.source.type`);
  }
  return withCacheControl({ type: 'image_url', image_url: { url } }, block);
}

function readDocumentBlock(block: WireObject, path: string): ContentPart {
  const source = requireObject(block.source, `${path}.source`);
  if (source.type === 'text') {
    return withCacheControl({ type: 'text', text: requireString(source.data, `${path}.source.data`) }, block);
  }
  if (source.type !== 'base64') throw invalidRequest('must be "base64" or "text"', `${path}.source.type`);
  const mediaType = requireString(source.media_type, `${path}.source.media_type`);
  const file: { file_data: string; filename?: string } = {
    file_data: `data:${mediaType};base64,${requireString(source.data, `${path}.source.data`)}`,
  };
  const title = optionalString(block.title, `${path}.title`);
  if (title !== undefined) file.filename = title;
  return withCacheControl({ type: 'file', file }, block);
}

/** A tool result's text becomes a tool message; its images travel on in the user message that follows. */
function readToolResult(block: WireObject, path: string, parts: ContentPart[]): ToolMessage {
  const toolCallId = requireString(block.tool_use_id, `${path}.tool_use_id`);
  const content = block.content;
  if (content == null) return { role: 'tool', tool_call_id: toolCallId, content: '' };
  if (typeof content === 'string') return { role: 'tool', tool_call_id: toolCallId, content };
  const items = requireArray(content, `${path}.content`);
  const texts: TextContentPart[] = [];
  for (let index = 0; index < items.length; index++) {
    const itemPath = `${path}.content[${index}]`;
    const item = requireObject(items[index], itemPath);
    if (item.type === 'image') parts.push(readImageBlock(item, itemPath));
    else texts.push(readTextBlock(item, itemPath));
  }
  return { role: 'tool', tool_call_id: toolCallId, content: texts };
}

function readAssistantBlocks(blocks: unknown[], path: string): AssistantMessage {
  const texts: TextContentPart[] = [];
  const toolCalls: ToolCall[] = [];
  const details: ReasoningDetail[] = [];
  let reasoning = '';
  for (let index = 0; index < blocks.length; index++) {
    const blockPath = `${path}[${index}]`;
    const block = requireObject(blocks[index], blockPath);
    switch (block.type) {
      case 'text':
        texts.push(readTextBlock(block, blockPath));
        break;
      case 'tool_use':
        toolCalls.push({
          id: requireString(block.id, `${blockPath}.id`),
          type: 'function',
          function: {
            name: requireString(block.name, `${blockPath}.name`),
            arguments: JSON.stringify(block.input ?? {}),
          },
        });
        break;
      case 'thinking': {
        const text = requireString(block.thinking, `${blockPath}.thinking`);
        const detail: ReasoningDetail = { type: 'reasoning.text', text, index: details.length };
        const signature = optionalString(block.signature, `${blockPath}.signature`);
        if (signature !== undefined) detail.signature = signature;
        details.push(detail);
        reasoning += text;
        break;
      }
      case 'redacted_thinking':
        details.push({
          type: 'reasoning.encrypted',
          data: requireString(block.data, `${blockPath}.data`),
          index: details.length,
        });
        break;
      default:
        throw invalidRequest(
          'must be one of text, tool_use, thinking, redacted_thinking in an assistant turn',
          `${blockPath}.type`,
        );
    }
  }
  const message: AssistantMessage = { role: 'assistant', content: assistantContent(texts, toolCalls) };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (reasoning !== '') message.reasoning = reasoning;
  if (details.length > 0) message.reasoning_details = details;
  return message;
}

/** One plain text block reads as a string; cache markers or several blocks keep the parts. */
function assistantContent(texts: TextContentPart[], toolCalls: ToolCall[]): AssistantMessage['content'] {
  if (texts.length === 0) return toolCalls.length > 0 ? null : '';
  if (texts.length === 1 && texts[0]!.cache_control === undefined) return texts[0]!.text;
  return texts;
}

function readStrings(value: unknown, path: string): string[] {
  return requireArray(value, path).map((item, index) => requireString(item, `${path}[${index}]`));
}

/**
 * Anthropic's `thinking` goes to Anthropic as it is; another provider gets OpenAI's `reasoning_effort`, picked
 * from the budget (up to 2,048 tokens low, up to 8,192 medium, more high).
 */
function readThinking(value: unknown, toAnthropic: boolean, params: ModelParameters): void {
  const thinking = requireObject(value, 'thinking');
  if (toAnthropic) {
    params.thinking = thinking;
    return;
  }
  if (thinking.type !== 'enabled') return;
  const budget = optionalNumber(thinking.budget_tokens, 'thinking.budget_tokens') ?? 0;
  params.reasoning_effort = budget <= 2048 ? 'low' : budget <= 8192 ? 'medium' : 'high';
}

function readTools(value: unknown): Tool[] {
  return requireArray(value, 'tools').map((item, index) => {
    const path = `tools[${index}]`;
    const tool = requireObject(item, path);
    if (tool.type != null && tool.type !== 'custom') {
      throw invalidRequest(
        `Anthropic's server tool ${JSON.stringify(tool.type)} cannot be routed through the gateway; define a custom tool with input_schema`,
        `${path}.type`,
      );
    }
    const definition: Tool['function'] = { name: requireString(tool.name, `${path}.name`) };
    const description = optionalString(tool.description, `${path}.description`);
    if (description !== undefined) definition.description = description;
    definition.parameters = requireObject(tool.input_schema, `${path}.input_schema`);
    return withCacheControl<Tool>({ type: 'function', function: definition }, tool);
  });
}

function readToolChoice(value: unknown, params: ModelParameters): void {
  const choice = requireObject(value, 'tool_choice');
  let toolChoice: ToolChoice;
  switch (choice.type) {
    case 'auto':
      toolChoice = 'auto';
      break;
    case 'any':
      toolChoice = 'required';
      break;
    case 'none':
      toolChoice = 'none';
      break;
    case 'tool':
      toolChoice = { type: 'function', function: { name: requireString(choice.name, 'tool_choice.name') } };
      break;
    default:
      throw invalidRequest('must be "auto", "any", "tool" or "none"', 'tool_choice.type');
  }
  params.tool_choice = toolChoice;
  if (optionalBoolean(choice.disable_parallel_tool_use, 'tool_choice.disable_parallel_tool_use') === true) {
    params.parallel_tool_calls = false;
  }
}
