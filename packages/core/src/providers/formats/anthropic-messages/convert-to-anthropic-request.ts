import type {
  AssistantMessage,
  CacheControl,
  ChatMessage,
  ChatRequest,
  ContentPart,
  ModelParameters,
  TextContentPart,
  Tool,
  ToolChoice,
} from '@bifrost/schemas';
import { GatewayError } from '../../../errors/gateway-error.js';
import type {
  AnthropicContentBlock,
  AnthropicMessage,
  AnthropicTextBlock,
  AnthropicTool,
  AnthropicToolChoice,
} from './anthropic-api.js';
import { contentPartToBlock, withCacheControl } from './anthropic-content-part.js';
import { thinkingFor } from './anthropic-thinking.js';

/**
 * The `max_tokens` sent when the caller gave neither `max_tokens` nor `max_completion_tokens`: Anthropic requires
 * the field, and 4096 is what upstream Bifrost sends.
 */
export const defaultAnthropicMaxTokens = 4096;

/** Parameters whose Anthropic meaning is the same under the same name; they go out unchanged. */
const nativeParameters: ReadonlySet<string> = new Set([
  'temperature',
  'top_p',
  'top_k',
  'thinking',
  'service_tier',
  'container',
  'mcp_servers',
  'context_management',
  'output_config',
]);

/** Parameters handled below, or consumed elsewhere (the stream flag, the beta header), never sent as they are. */
const translatedParameters: ReadonlySet<string> = new Set([
  'max_tokens',
  'max_completion_tokens',
  'stop',
  'user',
  'metadata',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'reasoning_effort',
  'stream',
  'stream_options',
  'anthropic_beta',
  'response_format',
]);

/**
 * Translates an OpenAI-shaped chat request into an Anthropic Messages API body, `model` included. Options
 * Anthropic cannot honour come back as warnings; content it cannot carry (audio) is refused with a 400.
 */
export function toAnthropicRequest(request: ChatRequest): {
  body: Record<string, unknown>;
  warnings: string[];
} {
  const warnings: string[] = [];
  const params: ModelParameters = request.params ?? {};
  const { system, messages } = translateMessages(request.messages, warnings);
  const body: Record<string, unknown> = { model: request.model };

  const maxTokens = params.max_completion_tokens ?? params.max_tokens;
  body.max_tokens = maxTokens ?? defaultAnthropicMaxTokens;
  if (system !== undefined) body.system = system;
  body.messages = messages;

  for (const name in params) {
    const value = params[name];
    // OpenAI clients send `null` for options left unset.
    if (value === undefined || value === null) continue;
    if (nativeParameters.has(name)) body[name] = value;
    else if (!translatedParameters.has(name) && !isHarmlessDefault(name, value)) {
      warnings.push(`anthropic ignores ${name}`);
    }
  }

  if (params.stop != null) {
    body.stop_sequences = typeof params.stop === 'string' ? [params.stop] : params.stop;
  }
  const userId = params.user ?? userIdFromMetadata(params.metadata, warnings);
  if (userId !== undefined) body.metadata = { user_id: userId };
  if (params.tools != null && params.tools.length > 0) body.tools = toAnthropicTools(params.tools, warnings);
  const toolChoice = toAnthropicToolChoice(params.tool_choice, params.parallel_tool_calls);
  if (toolChoice !== undefined) body.tool_choice = toolChoice;

  const outputFormat = outputFormatFor(params.response_format, warnings);
  if (outputFormat !== undefined) {
    body.output_config = {
      ...(params.output_config as Record<string, unknown> | undefined),
      format: outputFormat,
    };
  }
  if (params.thinking == null && params.reasoning_effort != null) {
    const thinking = thinkingFor(params.reasoning_effort, maxTokens);
    body.thinking = thinking.thinking;
    body.max_tokens = thinking.maxTokens;
  }
  return { body, warnings };
}

/** OpenAI's defaults that change nothing, so asking for them explicitly is no reason to warn. */
function isHarmlessDefault(name: string, value: unknown): boolean {
  return (name === 'n' && value === 1) || (name === 'logprobs' && value === false);
}

/**
 * A JSON schema answer format becomes Anthropic's structured output (`output_config.format`); plain JSON mode
 * has no Anthropic counterpart without a schema, so it is warned about.
 */
function outputFormatFor(
  format: ModelParameters['response_format'],
  warnings: string[],
): { type: 'json_schema'; schema: Record<string, unknown> } | undefined {
  if (format == null || format.type === 'text') return undefined;
  if (format.type === 'json_schema' && format.json_schema.schema !== undefined) {
    return { type: 'json_schema', schema: format.json_schema.schema };
  }
  warnings.push(`anthropic ignores response_format ${format.type} without a schema`);
  return undefined;
}

function userIdFromMetadata(metadata: unknown, warnings: string[]): string | undefined {
  if (metadata === undefined || metadata === null) return undefined;
  const userId = (metadata as { user_id?: unknown }).user_id;
  if (typeof userId === 'string') return userId;
  warnings.push('anthropic ignores metadata other than metadata.user_id');
  return undefined;
}

function toAnthropicTools(tools: readonly Tool[], warnings: string[]): AnthropicTool[] {
  const translated: AnthropicTool[] = [];
  for (const tool of tools) {
    const definition: AnthropicTool = {
      name: tool.function.name,
      // Anthropic requires a schema; a tool without parameters takes none.
      input_schema: tool.function.parameters ?? { type: 'object', properties: {} },
    };
    if (tool.function.description !== undefined) definition.description = tool.function.description;
    if (tool.cache_control !== undefined) definition.cache_control = tool.cache_control;
    if (tool.function.strict === true) {
      warnings.push(`anthropic ignores tools[].function.strict (${tool.function.name})`);
    }
    translated.push(definition);
  }
  return translated;
}

function toAnthropicToolChoice(
  choice: ToolChoice | undefined,
  parallelToolCalls: boolean | undefined,
): AnthropicToolChoice | undefined {
  const disableParallel = parallelToolCalls === false ? { disable_parallel_tool_use: true } : undefined;
  if (choice == null) return disableParallel && { type: 'auto', ...disableParallel };
  if (choice === 'none') return { type: 'none' };
  if (choice === 'auto') return { type: 'auto', ...disableParallel };
  if (choice === 'required') return { type: 'any', ...disableParallel };
  return { type: 'tool', name: choice.function.name, ...disableParallel };
}

/** Lifts system and developer messages out, turns tool results into user turns, and merges same-role neighbours. */
function translateMessages(
  source: readonly ChatMessage[],
  warnings: string[],
): { system: string | AnthropicTextBlock[] | undefined; messages: AnthropicMessage[] } {
  const systemBlocks: AnthropicTextBlock[] = [];
  const messages: AnthropicMessage[] = [];
  for (let index = 0; index < source.length; index++) {
    const message = source[index]!;
    if ('name' in message && message.name !== undefined)
      warnings.push(`anthropic ignores messages[${index}].name`);
    let translated: AnthropicMessage;
    switch (message.role) {
      case 'system':
      case 'developer':
        if (typeof message.content === 'string') systemBlocks.push({ type: 'text', text: message.content });
        else for (const part of message.content) systemBlocks.push(textBlock(part));
        continue;
      case 'user':
        translated = {
          role: 'user',
          content:
            typeof message.content === 'string'
              ? message.content
              : message.content.map((part, partIndex) =>
                  userBlock(part, `messages[${index}].content[${partIndex}]`),
                ),
        };
        break;
      case 'assistant':
        translated = { role: 'assistant', content: assistantBlocks(message, index, warnings) };
        break;
      case 'tool':
        translated = {
          role: 'user',
          content: [
            withCacheControl(
              {
                type: 'tool_result',
                tool_use_id: message.tool_call_id,
                content:
                  typeof message.content === 'string' ? message.content : message.content.map(textBlock),
              },
              cacheControlOf(message),
            ),
          ],
        };
        break;
    }
    appendMerging(messages, translated);
  }
  return { system: systemFrom(systemBlocks), messages };
}

/** Anthropic requires alternating roles, so a turn following one of the same role joins it. */
function appendMerging(messages: AnthropicMessage[], message: AnthropicMessage): void {
  const previous = messages[messages.length - 1];
  if (previous === undefined || previous.role !== message.role) {
    messages.push(message);
    return;
  }
  previous.content = [...asBlocks(previous.content), ...asBlocks(message.content)];
}

function asBlocks(content: string | AnthropicContentBlock[]): AnthropicContentBlock[] {
  return typeof content === 'string' ? [{ type: 'text', text: content }] : content;
}

/** The system prompt as one string, or as blocks when any block asks for caching (a string cannot carry it). */
function systemFrom(blocks: AnthropicTextBlock[]): string | AnthropicTextBlock[] | undefined {
  if (blocks.length === 0) return undefined;
  if (blocks.some((block) => block.cache_control !== undefined)) return blocks;
  return blocks.map((block) => block.text).join('\n');
}

function textBlock(part: TextContentPart): AnthropicTextBlock {
  return withCacheControl({ type: 'text', text: part.text }, part.cache_control);
}

function userBlock(part: ContentPart, field: string): AnthropicContentBlock {
  const block = contentPartToBlock(part, field);
  if (block === undefined) {
    throw new GatewayError('invalid_request', `anthropic does not accept ${part.type} content (${field})`, {
      provider: 'anthropic',
      param: field,
      allowFallbacks: true,
    });
  }
  return block;
}

/** Thinking first (Anthropic checks its signatures against the turn's start), then text, then tool calls. */
function assistantBlocks(
  message: AssistantMessage,
  index: number,
  warnings: string[],
): string | AnthropicContentBlock[] {
  const blocks: AnthropicContentBlock[] = [];
  message.reasoning_details?.forEach((detail, detailIndex) => {
    if (detail.type === 'reasoning.encrypted') blocks.push({ type: 'redacted_thinking', data: detail.data });
    else if (detail.signature !== undefined) {
      blocks.push({ type: 'thinking', thinking: detail.text, signature: detail.signature });
    } else {
      warnings.push(
        `anthropic needs a signature to replay reasoning; messages[${index}].reasoning_details[${detailIndex}] was left out`,
      );
    }
  });
  const toolCalls = message.tool_calls ?? [];
  if (typeof message.content === 'string') {
    if (blocks.length === 0 && toolCalls.length === 0) return message.content;
    if (message.content !== '') blocks.push({ type: 'text', text: message.content });
  } else if (message.content) {
    for (const part of message.content) blocks.push(textBlock(part));
  }
  toolCalls.forEach((call, callIndex) => {
    blocks.push(
      withCacheControl(
        {
          type: 'tool_use',
          id: call.id,
          name: call.function.name,
          input: parseArguments(
            call.function.arguments,
            `messages[${index}].tool_calls[${callIndex}].function.arguments`,
          ),
        },
        cacheControlOf(call),
      ),
    );
  });
  return blocks;
}

/** Tool arguments travel as a JSON string in OpenAI's shape and as an object in Anthropic's. */
function parseArguments(text: string, field: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new GatewayError('invalid_request', `${field} must be a JSON object`, {
      provider: 'anthropic',
      param: field,
    });
  }
  return parsed as Record<string, unknown>;
}

/** A message's or tool call's `cache_control`, which OpenAI's types lack and callers send as a pass-through field. */
function cacheControlOf(source: object): CacheControl | undefined {
  return (source as { cache_control?: CacheControl }).cache_control;
}
