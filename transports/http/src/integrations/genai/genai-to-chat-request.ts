import type {
  AssistantMessage,
  ChatMessage,
  ChatRequest,
  ContentPart,
  ModelParameters,
  ReasoningDetail,
  TextContentPart,
  Tool,
  ToolCall,
  ToolChoice,
} from '@bifrost/schemas';
import { invalidRequest } from '../../error-response.js';
import { resolveDialectModel } from '../resolve-dialect-model.js';
import {
  isWireObject,
  optionalNumber,
  optionalString,
  requireArray,
  requireObject,
  requireString,
  type WireObject,
} from '../wire-fields.js';

/** Fields of a generateContent request that are translated; any other passes through as a parameter. */
const translatedFields = new Set([
  'model',
  'contents',
  'systemInstruction',
  'tools',
  'toolConfig',
  'generationConfig',
]);

/** Tool results answer calls by id; Gemini's calls may have none, so ids are made up and matched by name. */
interface CallIds {
  made: number;
  pending: Map<string, string[]>;
}

/**
 * Translates a Gemini `generateContent` request into the engine's chat request: `systemInstruction` becomes a
 * system message, `model` turns become assistant messages (thought parts as reasoning with their signatures,
 * `functionCall`s as tool calls carrying `thoughtSignature` in `extra_content.google.thought_signature`),
 * `functionResponse` parts become tool messages, function declarations become tools (Gemini's upper-case schema
 * types lower-cased for JSON Schema) and `generationConfig` becomes OpenAI parameters. A bare model is Gemini's.
 */
export function genAIToChatRequest(input: unknown, modelInPath: string): ChatRequest {
  if (!isWireObject(input)) throw invalidRequest('request body must be a JSON object');
  const body = input;
  const { provider, model } = resolveDialectModel(modelInPath, 'gemini');
  const messages: ChatMessage[] = [];
  const system = readSystemInstruction(body.systemInstruction);
  if (system !== undefined) messages.push({ role: 'system', content: system });
  const contents = requireArray(body.contents, 'contents');
  if (contents.length === 0) throw invalidRequest('must contain at least one content', 'contents');
  const ids: CallIds = { made: 0, pending: new Map() };
  for (let index = 0; index < contents.length; index++) {
    readContent(contents[index], `contents[${index}]`, messages, ids);
  }
  const params: ModelParameters = {};
  if (body.generationConfig != null) readGenerationConfig(body.generationConfig, params);
  if (body.tools != null) {
    const tools = readTools(body.tools);
    if (tools.length > 0) params.tools = tools;
  }
  if (body.toolConfig != null) readToolConfig(body.toolConfig, params);
  for (const name in body) {
    if (!translatedFields.has(name)) params[name] = body[name];
  }
  const request: ChatRequest = { provider, model, messages };
  if (Object.keys(params).length > 0) request.params = params;
  return request;
}

function readSystemInstruction(value: unknown): string | TextContentPart[] | undefined {
  if (value == null) return undefined;
  if (typeof value === 'string') return value;
  const parts = requireArray(requireObject(value, 'systemInstruction').parts, 'systemInstruction.parts');
  const texts = parts.map((part, index) => {
    const path = `systemInstruction.parts[${index}]`;
    return { type: 'text' as const, text: requireString(requireObject(part, path).text, `${path}.text`) };
  });
  return texts.length === 1 ? texts[0]!.text : texts;
}

function readContent(value: unknown, path: string, messages: ChatMessage[], ids: CallIds): void {
  const content = requireObject(value, path);
  const parts = requireArray(content.parts, `${path}.parts`);
  const role = content.role ?? 'user';
  if (role === 'model') messages.push(readModelParts(parts, `${path}.parts`, ids));
  else if (role === 'user' || role === 'function') readUserParts(parts, `${path}.parts`, messages, ids);
  else throw invalidRequest('must be "user" or "model"', `${path}.role`);
}

/** A user turn: function responses go first as tool messages, then the rest of the turn as one user message. */
function readUserParts(parts: unknown[], path: string, messages: ChatMessage[], ids: CallIds): void {
  const content: ContentPart[] = [];
  for (let index = 0; index < parts.length; index++) {
    const partPath = `${path}[${index}]`;
    const part = requireObject(parts[index], partPath);
    if (typeof part.text === 'string') content.push({ type: 'text', text: part.text });
    else if (part.inlineData != null) content.push(readInlineData(part.inlineData, `${partPath}.inlineData`));
    else if (part.fileData != null) content.push(readFileData(part.fileData, `${partPath}.fileData`));
    else if (part.functionResponse != null) {
      const response = requireObject(part.functionResponse, `${partPath}.functionResponse`);
      const name = requireString(response.name, `${partPath}.functionResponse.name`);
      const id =
        optionalString(response.id, `${partPath}.functionResponse.id`) ?? ids.pending.get(name)?.shift();
      if (id === undefined) {
        throw invalidRequest(
          `answers no earlier functionCall named ${JSON.stringify(name)}`,
          `${partPath}.functionResponse`,
        );
      }
      messages.push({ role: 'tool', tool_call_id: id, content: JSON.stringify(response.response ?? {}) });
    } else {
      throw invalidRequest(
        'must have one of text, inlineData, fileData, functionResponse in a user turn',
        partPath,
      );
    }
  }
  if (content.length === 0) return;
  const only = content[0]!;
  messages.push({
    role: 'user',
    content: content.length === 1 && only.type === 'text' ? only.text : content,
  });
}

function readInlineData(value: unknown, path: string): ContentPart {
  const blob = requireObject(value, path);
  const mimeType = requireString(blob.mimeType, `${path}.mimeType`);
  const data = requireString(blob.data, `${path}.data`);
  if (mimeType.startsWith('image/')) {
    return { type: 'image_url', image_url: { url: `data:${mimeType};base64,${data}` } };
  }
  if (mimeType === 'audio/wav' || mimeType === 'audio/mp3' || mimeType === 'audio/mpeg') {
    return { type: 'input_audio', input_audio: { data, format: mimeType === 'audio/wav' ? 'wav' : 'mp3' } };
  }
  return { type: 'file', file: { file_data: `data:${mimeType};base64,${data}` } };
}

function readFileData(value: unknown, path: string): ContentPart {
  const file = requireObject(value, path);
  const uri = requireString(file.fileUri, `${path}.fileUri`);
  const mimeType = optionalString(file.mimeType, `${path}.mimeType`);
  if (mimeType?.startsWith('image/')) return { type: 'image_url', image_url: { url: uri } };
  return { type: 'file', file: { file_id: uri } };
}

function readModelParts(parts: unknown[], path: string, ids: CallIds): AssistantMessage {
  let text = '';
  let reasoning = '';
  const details: ReasoningDetail[] = [];
  const toolCalls: ToolCall[] = [];
  for (let index = 0; index < parts.length; index++) {
    const partPath = `${path}[${index}]`;
    const part = requireObject(parts[index], partPath);
    const signature = optionalString(part.thoughtSignature, `${partPath}.thoughtSignature`);
    if (part.functionCall != null) {
      toolCalls.push(readFunctionCall(part.functionCall, `${partPath}.functionCall`, signature, ids));
    } else if (typeof part.text === 'string') {
      if (part.thought === true) {
        reasoning += part.text;
        const detail: ReasoningDetail = { type: 'reasoning.text', text: part.text, index: details.length };
        if (signature !== undefined) detail.signature = signature;
        details.push(detail);
      } else {
        text += part.text;
      }
    } else {
      throw invalidRequest('must have one of text, functionCall in a model turn', partPath);
    }
  }
  const message: AssistantMessage = {
    role: 'assistant',
    content: text === '' && toolCalls.length > 0 ? null : text,
  };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (reasoning !== '') message.reasoning = reasoning;
  if (details.length > 0) message.reasoning_details = details;
  return message;
}

function readFunctionCall(
  value: unknown,
  path: string,
  signature: string | undefined,
  ids: CallIds,
): ToolCall {
  const call = requireObject(value, path);
  const name = requireString(call.name, `${path}.name`);
  const id = optionalString(call.id, `${path}.id`) ?? `call_${name}_${ids.made++}`;
  const queue = ids.pending.get(name);
  if (queue) queue.push(id);
  else ids.pending.set(name, [id]);
  const toolCall: ToolCall = {
    id,
    type: 'function',
    function: { name, arguments: JSON.stringify(call.args ?? {}) },
  };
  if (signature !== undefined) toolCall.extra_content = { google: { thought_signature: signature } };
  return toolCall;
}

function readGenerationConfig(value: unknown, params: ModelParameters): void {
  const config = requireObject(value, 'generationConfig');
  const at = (name: string) => `generationConfig.${name}`;
  const numbers: [string, string][] = [
    ['temperature', 'temperature'],
    ['topP', 'top_p'],
    ['topK', 'top_k'],
    ['maxOutputTokens', 'max_tokens'],
    ['candidateCount', 'n'],
    ['presencePenalty', 'presence_penalty'],
    ['frequencyPenalty', 'frequency_penalty'],
    ['seed', 'seed'],
  ];
  for (const [from, to] of numbers) {
    const number = optionalNumber(config[from], at(from));
    if (number !== undefined) params[to] = number;
  }
  if (config.stopSequences != null) {
    params.stop = requireArray(config.stopSequences, at('stopSequences')).map((item, index) =>
      requireString(item, `${at('stopSequences')}[${index}]`),
    );
  }
  const schema = config.responseJsonSchema ?? config.responseSchema;
  if (schema != null) {
    const jsonSchema = config.responseJsonSchema != null ? schema : lowerCaseSchemaTypes(schema);
    params.response_format = {
      type: 'json_schema',
      json_schema: { name: 'response', schema: requireObject(jsonSchema, at('responseSchema')) },
    };
  } else if (config.responseMimeType === 'application/json') {
    params.response_format = { type: 'json_object' };
  }
  if (config.thinkingConfig != null) {
    const thinking = requireObject(config.thinkingConfig, at('thinkingConfig'));
    const budget = optionalNumber(thinking.thinkingBudget, at('thinkingConfig.thinkingBudget'));
    // -1 asks the model to decide, which is what leaving reasoning_effort out means.
    if (budget !== undefined && budget >= 0) {
      params.reasoning_effort =
        budget === 0 ? 'minimal' : budget <= 2048 ? 'low' : budget <= 8192 ? 'medium' : 'high';
    }
  }
}

function readTools(value: unknown): Tool[] {
  const tools: Tool[] = [];
  const entries = requireArray(value, 'tools');
  for (let index = 0; index < entries.length; index++) {
    const path = `tools[${index}]`;
    const entry = requireObject(entries[index], path);
    for (const name in entry) {
      if (name !== 'functionDeclarations') {
        throw invalidRequest(
          `Gemini's built-in tool ${JSON.stringify(name)} cannot be routed through the gateway; use functionDeclarations`,
          `${path}.${name}`,
        );
      }
    }
    const declarations = requireArray(entry.functionDeclarations ?? [], `${path}.functionDeclarations`);
    for (let position = 0; position < declarations.length; position++) {
      tools.push(readDeclaration(declarations[position], `${path}.functionDeclarations[${position}]`));
    }
  }
  return tools;
}

function readDeclaration(value: unknown, path: string): Tool {
  const declaration = requireObject(value, path);
  const definition: Tool['function'] = { name: requireString(declaration.name, `${path}.name`) };
  const description = optionalString(declaration.description, `${path}.description`);
  if (description !== undefined) definition.description = description;
  if (declaration.parametersJsonSchema != null) {
    definition.parameters = requireObject(declaration.parametersJsonSchema, `${path}.parametersJsonSchema`);
  } else if (declaration.parameters != null) {
    definition.parameters = lowerCaseSchemaTypes(requireObject(declaration.parameters, `${path}.parameters`));
  }
  return { type: 'function', function: definition };
}

/** Gemini's OpenAPI-style schema (`"type": "OBJECT"`) as JSON Schema (`"type": "object"`), copied. */
export function lowerCaseSchemaTypes(schema: unknown): WireObject {
  return lowerCase(schema) as WireObject;
}

function lowerCase(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(lowerCase);
  if (!isWireObject(value)) return value;
  const copy: WireObject = {};
  for (const key in value) {
    const item = value[key];
    copy[key] = key === 'type' && typeof item === 'string' ? item.toLowerCase() : lowerCase(item);
  }
  return copy;
}

function readToolConfig(value: unknown, params: ModelParameters): void {
  const config = requireObject(value, 'toolConfig');
  if (config.functionCallingConfig == null) return;
  const calling = requireObject(config.functionCallingConfig, 'toolConfig.functionCallingConfig');
  const allowed =
    calling.allowedFunctionNames == null
      ? []
      : requireArray(calling.allowedFunctionNames, 'toolConfig.functionCallingConfig.allowedFunctionNames');
  let choice: ToolChoice;
  switch (calling.mode ?? 'AUTO') {
    case 'AUTO':
      choice = 'auto';
      break;
    case 'ANY':
    case 'VALIDATED':
      choice =
        allowed.length === 1 && typeof allowed[0] === 'string'
          ? { type: 'function', function: { name: allowed[0] } }
          : 'required';
      break;
    case 'NONE':
      choice = 'none';
      break;
    default:
      throw invalidRequest(
        'must be "AUTO", "ANY", "VALIDATED" or "NONE"',
        'toolConfig.functionCallingConfig.mode',
      );
  }
  params.tool_choice = choice;
}
