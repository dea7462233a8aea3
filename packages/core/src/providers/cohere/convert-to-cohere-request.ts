import type {
  AssistantMessage,
  ChatMessage,
  ChatRequest,
  ContentPart,
  ModelParameters,
  TextContentPart,
  Tool,
  ToolChoice,
} from '@bifrost/schemas';
import { GatewayError } from '../../errors/gateway-error.js';
import type { CohereAssistantContent, CohereMessage, CohereTool, CohereUserContent } from './cohere-api.js';

type ReasoningEffort = NonNullable<ModelParameters['reasoning_effort']>;

/** Thinking budgets for OpenAI's `reasoning_effort`, the same steps the Anthropic translation uses. */
export const cohereThinkingBudgets: Readonly<Record<ReasoningEffort, number>> = {
  minimal: 1024,
  low: 2048,
  medium: 8192,
  high: 24576,
};

/** Parameters whose Cohere meaning is the same under the same name; they go out unchanged. */
const nativeParameters: ReadonlySet<string> = new Set([
  'temperature',
  'max_tokens',
  'seed',
  'frequency_penalty',
  'presence_penalty',
  'k',
  'p',
  'thinking',
  'safety_mode',
  'documents',
  'citation_options',
  'strict_tools',
  'priority',
]);

/** Parameters translated below, or the engine's own (`stream`), never sent as they are. */
const translatedParameters: ReadonlySet<string> = new Set([
  'max_completion_tokens',
  'stop',
  'top_p',
  'top_k',
  'response_format',
  'tools',
  'tool_choice',
  'reasoning_effort',
  'stream',
  'stream_options',
]);

/**
 * Translates an OpenAI-shaped chat request into a Cohere Chat API v2 body, `model` included. Options Cohere
 * cannot honour come back as warnings; content it cannot carry (audio, files) is refused with a 400.
 */
export function toCohereRequest(request: ChatRequest): { body: Record<string, unknown>; warnings: string[] } {
  const warnings: string[] = [];
  const params: ModelParameters = request.params ?? {};
  const body: Record<string, unknown> = {
    model: request.model,
    messages: translateMessages(request, warnings),
  };

  for (const name in params) {
    const value = params[name];
    if (value === undefined || value === null) continue;
    if (nativeParameters.has(name)) body[name] = value;
    else if (!translatedParameters.has(name) && !isHarmlessDefault(name, value)) {
      warnings.push(`cohere ignores ${name}`);
    }
  }

  if (params.max_completion_tokens !== undefined && params.max_tokens === undefined) {
    body.max_tokens = params.max_completion_tokens;
  }
  if (params.stop !== undefined && params.stop !== null) {
    body.stop_sequences = typeof params.stop === 'string' ? [params.stop] : params.stop;
  }
  if (params.top_p !== undefined && params.p === undefined) body.p = params.top_p;
  if (params.top_k !== undefined && params.k === undefined) body.k = params.top_k;

  const responseFormat = params.response_format;
  if (responseFormat?.type === 'json_object') body.response_format = { type: 'json_object' };
  else if (responseFormat?.type === 'json_schema') {
    body.response_format = { type: 'json_object', json_schema: responseFormat.json_schema.schema ?? {} };
  }

  if (params.tools !== undefined && params.tools.length > 0) {
    const tools = toolsForChoice(params.tools, params.tool_choice, warnings);
    body.tools = tools.map((tool) => toCohereTool(tool, warnings));
    if (params.strict_tools === undefined && tools.some((tool) => tool.function.strict === true)) {
      body.strict_tools = true;
    }
  }
  const toolChoice = toCohereToolChoice(params.tool_choice);
  if (toolChoice !== undefined) body.tool_choice = toolChoice;

  if (params.thinking === undefined && params.reasoning_effort !== undefined) {
    const budget = cohereThinkingBudgets[params.reasoning_effort] ?? cohereThinkingBudgets.medium;
    body.thinking = { type: 'enabled', token_budget: budget };
  }
  return { body, warnings };
}

/** OpenAI's defaults that change nothing, so asking for them explicitly is no reason to warn. */
function isHarmlessDefault(name: string, value: unknown): boolean {
  return (name === 'n' && value === 1) || (name === 'logprobs' && value === false);
}

/** Cohere cannot name one tool to call; offering only that tool, with `REQUIRED`, has the same effect. */
function toolsForChoice(tools: Tool[], choice: ToolChoice | undefined, warnings: string[]): Tool[] {
  if (typeof choice !== 'object' || choice === null) return tools;
  const named = tools.filter((tool) => tool.function.name === choice.function.name);
  if (named.length === 0) {
    warnings.push(`cohere was offered no tool named ${choice.function.name}; tool_choice sent as REQUIRED`);
    return tools;
  }
  return named;
}

function toCohereToolChoice(choice: ToolChoice | undefined): string | undefined {
  if (choice === 'none') return 'NONE';
  if (choice === 'required' || (typeof choice === 'object' && choice !== null)) return 'REQUIRED';
  // `auto` is Cohere's behaviour when the field is absent.
  return undefined;
}

function toCohereTool(tool: Tool, warnings: string[]): CohereTool {
  const translated: CohereTool = {
    type: 'function',
    function: {
      name: tool.function.name,
      // Cohere requires a schema; a tool without parameters takes none.
      parameters: tool.function.parameters ?? { type: 'object', properties: {} },
    },
  };
  if (tool.function.description !== undefined) translated.function.description = tool.function.description;
  if (tool.cache_control !== undefined)
    warnings.push(`cohere ignores cache_control on tools (${tool.function.name})`);
  return translated;
}

function translateMessages(request: ChatRequest, warnings: string[]): CohereMessage[] {
  const messages: CohereMessage[] = [];
  let named = false;
  let cached = false;
  for (const message of request.messages) {
    named ||= 'name' in message && message.name !== undefined;
    cached ||= Array.isArray(message.content) && message.content.some(hasCacheControl);
    messages.push(translateMessage(message, request, warnings));
  }
  if (named) warnings.push('cohere ignores messages[].name');
  if (cached) warnings.push('cohere ignores cache_control');
  return messages;
}

function hasCacheControl(part: ContentPart): boolean {
  return 'cache_control' in part && part.cache_control !== undefined;
}

function translateMessage(message: ChatMessage, request: ChatRequest, warnings: string[]): CohereMessage {
  switch (message.role) {
    case 'system':
    case 'developer':
      return { role: 'system', content: textOrTextItems(message.content) };
    case 'user':
      return {
        role: 'user',
        content:
          typeof message.content === 'string'
            ? message.content
            : message.content.map((part) => toUserContent(part, request)),
      };
    case 'assistant':
      return toAssistantMessage(message, warnings);
    case 'tool':
      return { role: 'tool', tool_call_id: message.tool_call_id, content: textOrTextItems(message.content) };
  }
}

function textOrTextItems(content: string | TextContentPart[]): string | { type: 'text'; text: string }[] {
  if (typeof content === 'string') return content;
  return content.map((part) => ({ type: 'text', text: part.text }));
}

function toUserContent(part: ContentPart, request: ChatRequest): CohereUserContent {
  if (part.type === 'text') return { type: 'text', text: part.text };
  if (part.type === 'image_url') {
    const image: { url: string; detail?: 'auto' | 'low' | 'high' } = { url: part.image_url.url };
    if (part.image_url.detail !== undefined) image.detail = part.image_url.detail;
    return { type: 'image_url', image_url: image };
  }
  throw new GatewayError('invalid_request', `cohere cannot read ${part.type} content`, {
    provider: 'cohere',
    model: request.model,
    param: 'messages',
    allowFallbacks: true,
  });
}

/**
 * An assistant turn: thinking goes back as a `thinking` content item; with tool calls, the text that came with
 * them goes back as `tool_plan`, which is where Cohere wrote it (see the response translation).
 */
function toAssistantMessage(message: AssistantMessage, warnings: string[]): CohereMessage {
  const text = assistantText(message.content);
  const toolCalls = message.tool_calls ?? [];
  const translated: Extract<CohereMessage, { role: 'assistant' }> = { role: 'assistant' };
  const content: CohereAssistantContent[] = [];
  if (message.reasoning) content.push({ type: 'thinking', thinking: message.reasoning });
  if (toolCalls.length > 0) {
    if (text !== '') translated.tool_plan = text;
    translated.tool_calls = toolCalls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.function.name, arguments: call.function.arguments },
    }));
    if (toolCalls.some((call) => call.extra_content !== undefined)) {
      warnings.push('cohere ignores tool_calls[].extra_content');
    }
  } else if (text !== '') content.push({ type: 'text', text });
  if (content.length === 1 && content[0]?.type === 'text') translated.content = text;
  else if (content.length > 0) translated.content = content;
  return translated;
}

function assistantText(content: AssistantMessage['content']): string {
  if (content === undefined || content === null) return '';
  if (typeof content === 'string') return content;
  let text = '';
  for (const part of content) text += part.text;
  return text;
}
