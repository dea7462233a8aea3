import type { ChatRequest, ModelParameters, ProviderName, Tool, ToolChoice } from '@bifrost/schemas';
import { toGeminiContents } from './gemini-contents.js';
import { toGeminiSchema } from './gemini-schema.js';

/** Parameters translated below, or deliberately not sent (`stream`, `stream_options`: the engine's business). */
const handledParameters: ReadonlySet<string> = new Set([
  'temperature',
  'top_p',
  'top_k',
  'max_tokens',
  'max_completion_tokens',
  'stop',
  'n',
  'seed',
  'presence_penalty',
  'frequency_penalty',
  'response_format',
  'reasoning_effort',
  'tools',
  'tool_choice',
  'safety_settings',
  'cached_content',
  'stream',
  'stream_options',
]);

/** Thinking tokens per `reasoning_effort` for Gemini 2.5 models, which take a budget. */
const thinkingBudgets = { minimal: 512, low: 1024, medium: 8192, high: 24576 } as const;

/**
 * Translates an OpenAI-shaped chat request into a `generateContent` body (the model goes in the URL). Options
 * Gemini cannot honour come back as warnings.
 */
export function toGeminiRequest(
  request: ChatRequest,
  provider: ProviderName,
): { body: Record<string, unknown>; warnings: string[] } {
  const warnings: string[] = [];
  const params: ModelParameters = request.params ?? {};
  const { systemInstruction, contents } = toGeminiContents(
    request.messages,
    provider,
    request.model,
    warnings,
  );
  const body: Record<string, unknown> = { contents };
  if (systemInstruction !== undefined) body.systemInstruction = systemInstruction;

  if (params.tools !== undefined && params.tools.length > 0)
    body.tools = [{ functionDeclarations: functionDeclarations(params.tools, provider, warnings) }];
  if (params.tool_choice !== undefined)
    body.toolConfig = { functionCallingConfig: functionCallingConfig(params.tool_choice) };
  if (params.safety_settings !== undefined) body.safetySettings = params.safety_settings;
  if (typeof params.cached_content === 'string') body.cachedContent = params.cached_content;

  const generationConfig = toGenerationConfig(params, request.model);
  if (Object.keys(generationConfig).length > 0) body.generationConfig = generationConfig;

  for (const name of Object.keys(params)) {
    if (params[name] === undefined || handledParameters.has(name)) continue;
    warnings.push(`${provider} ignores ${name}`);
  }
  return { body, warnings };
}

function toGenerationConfig(params: ModelParameters, model: string): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  if (params.temperature !== undefined) config.temperature = params.temperature;
  if (params.top_p !== undefined) config.topP = params.top_p;
  if (params.top_k !== undefined) config.topK = params.top_k;
  const maxTokens = params.max_completion_tokens ?? params.max_tokens;
  if (maxTokens !== undefined) config.maxOutputTokens = maxTokens;
  if (params.stop !== undefined)
    config.stopSequences = typeof params.stop === 'string' ? [params.stop] : params.stop;
  if (params.n !== undefined) config.candidateCount = params.n;
  if (params.seed !== undefined) config.seed = params.seed;
  if (params.presence_penalty !== undefined) config.presencePenalty = params.presence_penalty;
  if (params.frequency_penalty !== undefined) config.frequencyPenalty = params.frequency_penalty;
  const format = params.response_format;
  if (format?.type === 'json_object') config.responseMimeType = 'application/json';
  if (format?.type === 'json_schema') {
    config.responseMimeType = 'application/json';
    // responseJsonSchema takes JSON Schema as it is, so nothing in the caller's schema is lost.
    if (format.json_schema.schema !== undefined) config.responseJsonSchema = format.json_schema.schema;
  }
  if (params.reasoning_effort !== undefined) {
    // Gemini 3 takes a level; Gemini 2.5 a token budget.
    config.thinkingConfig = model.startsWith('gemini-3')
      ? {
          includeThoughts: true,
          thinkingLevel:
            params.reasoning_effort === 'minimal' || params.reasoning_effort === 'low' ? 'low' : 'high',
        }
      : { includeThoughts: true, thinkingBudget: thinkingBudgets[params.reasoning_effort] };
  }
  return config;
}

function functionDeclarations(
  tools: readonly Tool[],
  provider: ProviderName,
  warnings: string[],
): Record<string, unknown>[] {
  const dropped = new Set<string>();
  const declarations = tools.map((tool) => {
    const declaration: Record<string, unknown> = { name: tool.function.name };
    if (tool.function.description !== undefined) declaration.description = tool.function.description;
    if (tool.function.parameters !== undefined)
      declaration.parameters = toGeminiSchema(tool.function.parameters, dropped);
    if (tool.function.strict !== undefined) dropped.add('strict');
    if (tool.cache_control !== undefined) dropped.add('cache_control');
    return declaration;
  });
  if (dropped.size > 0)
    warnings.push(`${provider} does not accept ${[...dropped].join(', ')} in tool definitions; dropped`);
  return declarations;
}

function functionCallingConfig(choice: ToolChoice): Record<string, unknown> {
  if (choice === 'none') return { mode: 'NONE' };
  if (choice === 'auto') return { mode: 'AUTO' };
  if (choice === 'required') return { mode: 'ANY' };
  return { mode: 'ANY', allowedFunctionNames: [choice.function.name] };
}
