import type { ChatRequest, ModelParameters, ProviderName, Tool, ToolChoice } from '@bifrost/schemas';
import type { BedrockConverseRequest, BedrockTool } from './bedrock-api.js';
import { addWarning, cachePointFor } from './convert-to-bedrock-content.js';
import { convertToBedrockMessages } from './convert-to-bedrock-messages.js';

/** OpenAI parameters this translation reads; `stream` and `stream_options` are the engine's, not the model's. */
const translatedParameters = new Set([
  'temperature',
  'top_p',
  'max_tokens',
  'max_completion_tokens',
  'stop',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'response_format',
  'reasoning_effort',
  'n',
  'stream',
  'stream_options',
]);

/** Converse's own top-level fields, passed through as given for callers who speak Bedrock. */
const nativeConverseFields = new Set([
  'additionalModelRequestFields',
  'additionalModelResponseFieldPaths',
  'guardrailConfig',
  'performanceConfig',
  'promptVariables',
  'requestMetadata',
  'serviceTier',
]);

/** Anthropic `thinking.budget_tokens` for each OpenAI `reasoning_effort`. */
export const thinkingBudgets: Readonly<Record<NonNullable<ModelParameters['reasoning_effort']>, number>> = {
  minimal: 1024,
  low: 2048,
  medium: 8192,
  high: 16384,
};

/** Claude's smallest thinking budget. */
const minimumThinkingBudget = 1024;
/** Room left for the answer when the caller set no max_tokens, since Claude wants max_tokens > budget_tokens. */
const answerTokensAfterThinking = 4096;

/** Who the request is for: warnings and errors name them, and reasoning depends on the model family. */
export interface BedrockRequestContext {
  provider: ProviderName;
  model: string;
  /** Whether the model is an Anthropic Claude model (by its name or resolved id). */
  isClaude: boolean;
}

/**
 * An OpenAI chat request → the Converse body, built once, and the warnings for what Converse cannot honour.
 * The model id is not in the body: it goes in the path.
 */
export function convertToBedrockRequest(
  request: ChatRequest,
  context: BedrockRequestContext,
): { body: BedrockConverseRequest; warnings: string[] } {
  const warnings: string[] = [];
  const params = request.params ?? {};
  const conversation = convertToBedrockMessages(request.messages, context, warnings);
  const body: BedrockConverseRequest = { messages: conversation.messages };
  if (conversation.system.length > 0) body.system = conversation.system;

  const inferenceConfig: NonNullable<BedrockConverseRequest['inferenceConfig']> = {};
  const maxTokens = params.max_completion_tokens ?? params.max_tokens;
  if (maxTokens !== undefined) inferenceConfig.maxTokens = maxTokens;
  if (params.temperature !== undefined) inferenceConfig.temperature = params.temperature;
  if (params.top_p !== undefined) inferenceConfig.topP = params.top_p;
  if (params.stop !== undefined) {
    inferenceConfig.stopSequences = typeof params.stop === 'string' ? [params.stop] : params.stop;
  }

  const toolConfig = convertTools(params.tools, params.tool_choice, conversation.usesTools, warnings);
  if (toolConfig) body.toolConfig = toolConfig;
  if (params.parallel_tool_calls === false) addWarning(warnings, 'bedrock ignores parallel_tool_calls');
  if (params.n !== undefined && params.n !== 1) addWarning(warnings, 'bedrock ignores n (one choice only)');

  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || translatedParameters.has(name)) continue;
    if (nativeConverseFields.has(name)) body[name] = value;
    else addWarning(warnings, `bedrock ignores ${name}`);
  }

  if (params.reasoning_effort !== undefined) {
    applyReasoningEffort(params.reasoning_effort, body, inferenceConfig, context, warnings);
  }
  applyResponseFormat(params.response_format, body, warnings);
  if (Object.keys(inferenceConfig).length > 0) body.inferenceConfig = inferenceConfig;
  return { body, warnings };
}

function convertTools(
  tools: Tool[] | undefined,
  choice: ToolChoice | undefined,
  historyUsesTools: boolean,
  warnings: string[],
): BedrockConverseRequest['toolConfig'] {
  if (!tools?.length) {
    if (choice !== undefined && choice !== 'none')
      addWarning(warnings, 'bedrock ignores tool_choice without tools');
    return undefined;
  }
  if (choice === 'none' && !historyUsesTools) {
    addWarning(warnings, 'bedrock has no tool_choice "none": the tools were left out');
    return undefined;
  }
  const converted: BedrockTool[] = [];
  for (const tool of tools) {
    const spec: Extract<BedrockTool, { toolSpec: unknown }>['toolSpec'] = {
      name: tool.function.name,
      inputSchema: { json: tool.function.parameters ?? { type: 'object', properties: {} } },
    };
    if (tool.function.description !== undefined) spec.description = tool.function.description;
    if (tool.function.strict !== undefined) spec.strict = tool.function.strict;
    converted.push({ toolSpec: spec });
    if (tool.cache_control) converted.push(cachePointFor(tool.cache_control));
  }
  const toolConfig: NonNullable<BedrockConverseRequest['toolConfig']> = { tools: converted };
  if (choice === 'auto') toolConfig.toolChoice = { auto: {} };
  else if (choice === 'required') toolConfig.toolChoice = { any: {} };
  else if (choice === 'none') {
    // Converse rejects toolUse/toolResult history without a toolConfig, so the tools stay, unforced.
    addWarning(warnings, 'bedrock has no tool_choice "none": the tools stay available for the tool history');
  } else if (choice !== undefined) toolConfig.toolChoice = { tool: { name: choice.function.name } };
  return toolConfig;
}

/** Claude's extended thinking through `additionalModelRequestFields.thinking`; other families get a warning. */
function applyReasoningEffort(
  effort: NonNullable<ModelParameters['reasoning_effort']>,
  body: BedrockConverseRequest,
  inferenceConfig: NonNullable<BedrockConverseRequest['inferenceConfig']>,
  context: BedrockRequestContext,
  warnings: string[],
): void {
  if (!context.isClaude) {
    addWarning(warnings, 'bedrock translates reasoning_effort for Anthropic Claude models only');
    return;
  }
  const additional = { ...body.additionalModelRequestFields };
  if (additional.thinking !== undefined) return; // the caller's own thinking settings win
  let budget = thinkingBudgets[effort] ?? thinkingBudgets.medium;
  if (inferenceConfig.maxTokens === undefined) {
    inferenceConfig.maxTokens = budget + answerTokensAfterThinking;
  } else if (inferenceConfig.maxTokens <= budget) {
    // Half for thinking, half for the answer, rather than a budget that leaves the answer no room.
    budget = Math.floor(inferenceConfig.maxTokens / 2);
    if (budget < minimumThinkingBudget) {
      addWarning(
        warnings,
        'bedrock ignores reasoning_effort: max_tokens leaves no room for a thinking budget',
      );
      return;
    }
  }
  additional.thinking = { type: 'enabled', budget_tokens: budget };
  body.additionalModelRequestFields = additional;
}

function applyResponseFormat(
  format: ModelParameters['response_format'],
  body: BedrockConverseRequest,
  warnings: string[],
): void {
  if (format === undefined || format.type === 'text') return;
  if (format.type === 'json_object') {
    addWarning(
      warnings,
      'bedrock ignores response_format json_object (only json_schema has a Converse equivalent)',
    );
    return;
  }
  const jsonSchema: Record<string, unknown> = {
    schema: JSON.stringify(format.json_schema.schema ?? { type: 'object' }),
    name: format.json_schema.name,
  };
  if (format.json_schema.description !== undefined) jsonSchema.description = format.json_schema.description;
  body.outputConfig = { textFormat: { type: 'json_schema', structure: { jsonSchema } } };
}
