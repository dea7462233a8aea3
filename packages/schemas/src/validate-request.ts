/**
 * Hand-written validators for untrusted request bodies. They run on every request, so they check types without
 * allocating and stop at the first problem, naming the field by its dotted path.
 */

import { isProviderName, type ModelReference, parseModelReference } from './provider.js';

/** The first problem found in a request, and where. */
export interface ValidationIssue {
  /** Dotted path of the field at fault, e.g. `messages[2].content`. */
  path: string;
  message: string;
}

type Check = ValidationIssue | undefined;

/** Tells the issue a validator found from the value it read, for validators that return either. */
export function isValidationIssue(value: unknown): value is ValidationIssue {
  return isRecord(value) && typeof value.path === 'string' && typeof value.message === 'string';
}

const issue = (path: string, message: string): ValidationIssue => ({ path, message });

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const contentPartTypes = new Set(['text', 'image_url', 'input_audio', 'file']);
const messageRoles = new Set(['system', 'developer', 'user', 'assistant', 'tool']);

/** Checks a chat `messages` array: roles, content shapes, tool calls and tool results. */
export function validateChatMessages(value: unknown, path = 'messages'): Check {
  if (!Array.isArray(value)) return issue(path, 'must be an array of messages');
  if (value.length === 0) return issue(path, 'must contain at least one message');
  for (let index = 0; index < value.length; index++) {
    const problem = validateChatMessage(value[index], `${path}[${index}]`);
    if (problem) return problem;
  }
  return undefined;
}

function validateChatMessage(message: unknown, path: string): Check {
  if (!isRecord(message)) return issue(path, 'must be an object');
  const role = message.role;
  if (typeof role !== 'string' || !messageRoles.has(role)) {
    return issue(`${path}.role`, 'must be one of system, developer, user, assistant, tool');
  }
  const content = message.content;
  if (role === 'assistant') {
    if (content !== undefined && content !== null) {
      const problem = validateContent(content, `${path}.content`, true);
      if (problem) return problem;
    }
    if (message.tool_calls !== undefined) return validateToolCalls(message.tool_calls, `${path}.tool_calls`);
    if (content === undefined || content === null) {
      return issue(`${path}.content`, 'is required unless the message has tool_calls');
    }
    return undefined;
  }
  if (content === undefined || content === null) return issue(`${path}.content`, 'is required');
  if (role === 'tool' && typeof message.tool_call_id !== 'string') {
    return issue(`${path}.tool_call_id`, 'is required on tool messages and must be a string');
  }
  return validateContent(content, `${path}.content`, role !== 'user');
}

function validateContent(content: unknown, path: string, textOnly: boolean): Check {
  if (typeof content === 'string') return undefined;
  if (!Array.isArray(content)) return issue(path, 'must be a string or an array of content parts');
  for (let index = 0; index < content.length; index++) {
    const part = content[index];
    const partPath = `${path}[${index}]`;
    if (!isRecord(part) || typeof part.type !== 'string' || !contentPartTypes.has(part.type)) {
      return issue(`${partPath}.type`, 'must be one of text, image_url, input_audio, file');
    }
    if (textOnly && part.type !== 'text')
      return issue(`${partPath}.type`, 'only text parts are allowed here');
    if (part.type === 'text' && typeof part.text !== 'string')
      return issue(`${partPath}.text`, 'must be a string');
    if (part.type === 'image_url' && !(isRecord(part.image_url) && typeof part.image_url.url === 'string')) {
      return issue(`${partPath}.image_url.url`, 'must be a string');
    }
    if (
      part.type === 'input_audio' &&
      !(isRecord(part.input_audio) && typeof part.input_audio.data === 'string')
    ) {
      return issue(`${partPath}.input_audio.data`, 'must be a base64 string');
    }
    if (part.type === 'file' && !isRecord(part.file)) return issue(`${partPath}.file`, 'must be an object');
  }
  return undefined;
}

function validateToolCalls(value: unknown, path: string): Check {
  if (!Array.isArray(value)) return issue(path, 'must be an array');
  for (let index = 0; index < value.length; index++) {
    const call = value[index];
    const callPath = `${path}[${index}]`;
    if (!isRecord(call)) return issue(callPath, 'must be an object');
    if (typeof call.id !== 'string') return issue(`${callPath}.id`, 'must be a string');
    if (!isRecord(call.function) || typeof call.function.name !== 'string') {
      return issue(`${callPath}.function.name`, 'must be a string');
    }
    if (typeof call.function.arguments !== 'string') {
      return issue(`${callPath}.function.arguments`, 'must be a JSON string');
    }
  }
  return undefined;
}

/** Checks a text completion prompt: a string or an array of strings. */
export function validateTextInput(value: unknown, path = 'text'): Check {
  return validateStringOrStrings(value, path);
}

/** Checks embedding input: a string or a non-empty array of strings. */
export function validateEmbeddingInput(value: unknown, path = 'input'): Check {
  return validateStringOrStrings(value, path);
}

function validateStringOrStrings(value: unknown, path: string): Check {
  if (typeof value === 'string') return undefined;
  if (!Array.isArray(value) || value.length === 0)
    return issue(path, 'must be a string or a non-empty array of strings');
  for (let index = 0; index < value.length; index++) {
    if (typeof value[index] !== 'string') return issue(`${path}[${index}]`, 'must be a string');
  }
  return undefined;
}

const numericParameters = ['temperature', 'top_p', 'presence_penalty', 'frequency_penalty'] as const;
const integerParameters = ['max_tokens', 'max_completion_tokens', 'n', 'top_logprobs', 'dimensions'] as const;

/**
 * Checks the types of the generation parameters the gateway knows; unknown ones pass through untouched, for the
 * provider to judge. `null` is accepted wherever OpenAI's API reference marks a parameter nullable.
 */
export function validateModelParameters(params: Record<string, unknown>, path = ''): Check {
  const at = (name: string) => (path ? `${path}.${name}` : name);
  for (const name of numericParameters) {
    const value = params[name];
    if (value != null && (typeof value !== 'number' || !Number.isFinite(value))) {
      return issue(at(name), 'must be a number');
    }
  }
  for (const name of integerParameters) {
    const value = params[name];
    if (value != null && !(Number.isInteger(value) && (value as number) >= 0)) {
      return issue(at(name), 'must be a non-negative integer');
    }
  }
  // OpenAI documents no lower bound for the seed.
  if (params.seed != null && !Number.isInteger(params.seed)) return issue(at('seed'), 'must be an integer');
  const stop = params.stop;
  if (stop !== undefined && stop !== null && typeof stop !== 'string') {
    const problem = validateStringOrStrings(stop, at('stop'));
    if (problem) return problem;
  }
  if (params.tools !== undefined) {
    const problem = validateTools(params.tools, at('tools'));
    if (problem) return problem;
  }
  const toolChoice = params.tool_choice;
  if (
    toolChoice !== undefined &&
    !(
      typeof toolChoice === 'string' &&
      (toolChoice === 'none' || toolChoice === 'auto' || toolChoice === 'required')
    ) &&
    !(isRecord(toolChoice) && isRecord(toolChoice.function) && typeof toolChoice.function.name === 'string')
  ) {
    return issue(
      at('tool_choice'),
      'must be "none", "auto", "required" or {"type":"function","function":{"name"}}',
    );
  }
  const responseFormat = params.response_format;
  if (responseFormat !== undefined) {
    if (!isRecord(responseFormat) || typeof responseFormat.type !== 'string') {
      return issue(at('response_format.type'), 'must be "text", "json_object" or "json_schema"');
    }
    if (responseFormat.type === 'json_schema' && !isRecord(responseFormat.json_schema)) {
      return issue(at('response_format.json_schema'), 'is required when type is "json_schema"');
    }
  }
  if (params.stream_options != null && !isRecord(params.stream_options)) {
    return issue(at('stream_options'), 'must be an object');
  }
  return undefined;
}

function validateTools(value: unknown, path: string): Check {
  if (!Array.isArray(value)) return issue(path, 'must be an array of tools');
  for (let index = 0; index < value.length; index++) {
    const tool = value[index];
    const toolPath = `${path}[${index}]`;
    if (!isRecord(tool) || tool.type !== 'function') return issue(`${toolPath}.type`, 'must be "function"');
    if (!isRecord(tool.function) || typeof tool.function.name !== 'string' || tool.function.name === '') {
      return issue(`${toolPath}.function.name`, 'must be a non-empty string');
    }
    if (tool.function.parameters !== undefined && !isRecord(tool.function.parameters)) {
      return issue(`${toolPath}.function.parameters`, 'must be a JSON Schema object');
    }
  }
  return undefined;
}

/**
 * Resolves the provider and model a request targets, from `model: "provider/model"` or `provider` plus a bare
 * `model`, and says precisely what is wrong when neither works.
 *
 * A set `provider` wins, and `model` is then taken whole, slashes and all. Paths name `model` and `provider`
 * under `path`, so a fallback entry can be checked as `fallbacks[0]`.
 *
 * @example
 * resolveModelTarget('openai/gpt-4o-mini'); // { provider: 'openai', model: 'gpt-4o-mini' }
 * resolveModelTarget('gpt-4o-mini'); // { path: 'model', message: 'must name its provider, as "provider/model" …' }
 */
export function resolveModelTarget(
  model: unknown,
  provider?: unknown,
  path = '',
): ModelReference | ValidationIssue {
  const at = (name: string) => (path ? `${path}.${name}` : name);
  if (typeof model !== 'string' || model === '') {
    return issue(at('model'), 'is required: "provider/model", e.g. "openai/gpt-4o-mini"');
  }
  if (provider !== undefined) {
    if (typeof provider !== 'string' || !isProviderName(provider)) {
      return issue(at('provider'), `unknown provider ${JSON.stringify(provider)}`);
    }
    return { provider, model };
  }
  return parseModelReference(model) ?? issue(at('model'), describeBadReference(model));
}

/** Says what is wrong with a "provider/model" string: the example alone misleads for "nope/gpt-4o" or "openai/". */
function describeBadReference(model: string): string {
  const slash = model.indexOf('/');
  const prefix = slash > 0 ? model.slice(0, slash) : undefined;
  if (prefix !== undefined && !isProviderName(prefix)) {
    return `unknown provider ${JSON.stringify(prefix)}; write "provider/model" with a known provider, or set "provider"`;
  }
  if (prefix !== undefined) return `must name a model after "${prefix}/"`;
  return `must name its provider, as "provider/model" (e.g. "openai/${model}"), or set "provider"`;
}

/**
 * Reads a `fallbacks` list, whose entries are `"provider/model"` strings or `{provider, model}` objects; an
 * object without `provider` names both in its `model`, as a request's own target may. Absent (`undefined` or
 * `null`) reads as no fallbacks.
 */
export function parseFallbacks(value: unknown, path = 'fallbacks'): ModelReference[] | ValidationIssue {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return issue(path, 'must be an array');
  const references: ModelReference[] = [];
  for (let index = 0; index < value.length; index++) {
    const entry: unknown = value[index];
    const entryPath = `${path}[${index}]`;
    let reference: ModelReference | ValidationIssue;
    if (typeof entry === 'string') {
      reference =
        parseModelReference(entry) ?? issue(entryPath, 'must be "provider/model" with a known provider');
    } else if (isRecord(entry)) {
      reference = resolveModelTarget(entry.model, entry.provider, entryPath);
    } else {
      reference = issue(entryPath, 'must be "provider/model" or {"provider","model"}');
    }
    if (isValidationIssue(reference)) return reference;
    references.push(reference);
  }
  return references;
}
