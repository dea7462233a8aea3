import type {
  AssistantMessage,
  ChatMessage,
  ContentPart,
  ProviderName,
  TextContentPart,
  ToolMessage,
} from '@bifrost/schemas';
import { GatewayError } from '../../../errors/gateway-error.js';
import { isRecord } from '../../kit/is-record.js';
import type { GeminiContent, GeminiPart } from './gemini-api.js';
import { guessMimeType, parseDataUrl } from './gemini-mime-type.js';

/** The conversation as Gemini wants it: system text lifted out, turns as `user` / `model` contents. */
export interface GeminiConversation {
  systemInstruction?: { parts: GeminiPart[] };
  contents: GeminiContent[];
}

/** Ids the gateway makes up for calls Gemini sent without one (`call_0`); never sent back as Gemini ids. */
const generatedCallId = /^call_\d+$/;

/**
 * Translates OpenAI-shaped messages into Gemini contents. Tool results become `functionResponse` parts named
 * after the call they answer (looked up in earlier assistant messages), consecutive results share one `user`
 * turn, and thought signatures travel back on the parts they came from.
 */
export function toGeminiContents(
  messages: readonly ChatMessage[],
  provider: ProviderName,
  model: string,
  warnings: string[],
): GeminiConversation {
  return new ContentTranslation(provider, model, warnings).translate(messages);
}

/** One request's translation: who it is for, the warnings so far, and the function names of the calls seen. */
class ContentTranslation {
  private readonly provider: ProviderName;
  private readonly model: string;
  private readonly warnings: string[];
  private readonly callNames = new Map<string, string>();
  private cacheControlWarned = false;
  /** The message being translated, for error messages. */
  private index = 0;

  constructor(provider: ProviderName, model: string, warnings: string[]) {
    this.provider = provider;
    this.model = model;
    this.warnings = warnings;
  }

  translate(messages: readonly ChatMessage[]): GeminiConversation {
    const systemParts: GeminiPart[] = [];
    const contents: GeminiContent[] = [];
    for (const [index, message] of messages.entries()) {
      this.index = index;
      switch (message.role) {
        case 'system':
        case 'developer':
          for (const part of this.textParts(message.content)) systemParts.push(part);
          break;
        case 'user':
          contents.push({ role: 'user', parts: this.userParts(message.content) });
          break;
        case 'assistant': {
          for (const call of message.tool_calls ?? []) this.callNames.set(call.id, call.function.name);
          const parts = this.modelParts(message);
          // Gemini refuses a turn without parts; an empty assistant message says nothing.
          if (parts.length > 0) contents.push({ role: 'model', parts });
          break;
        }
        case 'tool': {
          const part = this.functionResponsePart(message);
          const previous = contents.at(-1);
          // Gemini answers parallel calls with one turn holding every result.
          if (previous?.role === 'user' && previous.parts[0]?.functionResponse !== undefined) {
            previous.parts.push(part);
          } else {
            contents.push({ role: 'user', parts: [part] });
          }
          break;
        }
      }
      if ('name' in message && message.name !== undefined) {
        this.warnings.push(`${this.provider} ignores messages[${index}].name`);
      }
    }
    return systemParts.length > 0 ? { systemInstruction: { parts: systemParts }, contents } : { contents };
  }

  private textParts(content: string | TextContentPart[] | null | undefined): GeminiPart[] {
    if (content === null || content === undefined) return [];
    if (typeof content === 'string') return content === '' ? [] : [{ text: content }];
    const parts: GeminiPart[] = [];
    for (const part of content) {
      this.noteCacheControl(part);
      parts.push({ text: part.text });
    }
    return parts;
  }

  private userParts(content: string | ContentPart[]): GeminiPart[] {
    if (typeof content === 'string') return [{ text: content }];
    const parts: GeminiPart[] = [];
    for (const part of content) {
      switch (part.type) {
        case 'text':
          this.noteCacheControl(part);
          parts.push({ text: part.text });
          break;
        case 'image_url':
          this.noteCacheControl(part);
          if (part.image_url.detail !== undefined)
            this.warnings.push(`${this.provider} ignores image_url.detail`);
          parts.push(this.urlPart(part.image_url.url));
          break;
        case 'input_audio':
          parts.push({
            inlineData: { mimeType: `audio/${part.input_audio.format}`, data: part.input_audio.data },
          });
          break;
        case 'file':
          this.noteCacheControl(part);
          parts.push(this.filePart(part.file));
          break;
      }
    }
    return parts;
  }

  /** A `data:` URL travels inline; any other URL as `fileData`, which Gemini fetches itself. */
  private urlPart(url: string): GeminiPart {
    if (!url.startsWith('data:')) return this.fileDataPart(url, url);
    const inline = parseDataUrl(url);
    if (inline === undefined) throw this.badContent('an image data URL must be base64-encoded');
    return { inlineData: inline };
  }

  private filePart(file: { file_id?: string; file_data?: string; filename?: string }): GeminiPart {
    const { file_data: data, file_id: id, filename } = file;
    if (data !== undefined) {
      const inline = parseDataUrl(data);
      const mimeType = inline?.mimeType ?? (filename ? guessMimeType(filename) : undefined);
      if (mimeType === undefined) {
        throw this.badContent('file_data needs a data: URL or a filename with a known extension');
      }
      return { inlineData: { mimeType, data: inline?.data ?? data } };
    }
    if (id !== undefined) return this.fileDataPart(id, filename ?? id);
    throw this.badContent('a file part needs file_data or file_id');
  }

  private fileDataPart(fileUri: string, nameForType: string): GeminiPart {
    const mimeType = guessMimeType(nameForType);
    if (mimeType !== undefined) return { fileData: { mimeType, fileUri } };
    this.warnings.push(
      `${this.provider} could not tell the MIME type of ${fileUri} from its extension; sent without one`,
    );
    return { fileData: { fileUri } };
  }

  private modelParts(message: AssistantMessage): GeminiPart[] {
    const parts: GeminiPart[] = [];
    let textSignature: string | undefined;
    for (const detail of message.reasoning_details ?? []) {
      if (detail.type !== 'reasoning.text') continue;
      // A signature that came on an answer part rather than a thought has no text of its own.
      if (detail.text === '') textSignature = detail.signature;
      else parts.push(withSignature({ text: detail.text, thought: true }, detail.signature));
    }
    const text = this.textParts(message.content);
    if (text.length > 0) {
      text[0] = withSignature(text[0]!, textSignature);
      for (const part of text) parts.push(part);
    } else if (textSignature !== undefined) {
      parts.push({ text: '', thoughtSignature: textSignature });
    }
    for (const call of message.tool_calls ?? []) {
      let args: unknown;
      try {
        args = call.function.arguments === '' ? {} : JSON.parse(call.function.arguments);
      } catch {
        throw this.badContent(`tool call ${call.id} has arguments that are not JSON`);
      }
      if (!isRecord(args))
        throw this.badContent(`tool call ${call.id} has arguments that are not a JSON object`);
      const functionCall: NonNullable<GeminiPart['functionCall']> = { name: call.function.name, args };
      if (!generatedCallId.test(call.id)) functionCall.id = call.id;
      parts.push(withSignature({ functionCall }, call.extra_content?.google?.thought_signature));
    }
    return parts;
  }

  private functionResponsePart(message: ToolMessage): GeminiPart {
    let name = this.callNames.get(message.tool_call_id);
    if (name === undefined) {
      this.warnings.push(
        `${this.provider}: no earlier tool call has id ${message.tool_call_id}; its result is named after the id`,
      );
      name = message.tool_call_id;
    }
    let text = '';
    if (typeof message.content === 'string') text = message.content;
    else for (const part of message.content) text += part.text;
    const functionResponse: NonNullable<GeminiPart['functionResponse']> = {
      name,
      response: toolResponse(text),
    };
    if (!generatedCallId.test(message.tool_call_id)) functionResponse.id = message.tool_call_id;
    return { functionResponse };
  }

  private noteCacheControl(part: { cache_control?: unknown }): void {
    if (part.cache_control === undefined || this.cacheControlWarned) return;
    this.cacheControlWarned = true;
    this.warnings.push(`${this.provider} ignores cache_control (use Gemini context caching instead)`);
  }

  private badContent(detail: string): GatewayError {
    return new GatewayError('invalid_request', `messages[${this.index}]: ${detail}`, {
      provider: this.provider,
      model: this.model,
      param: `messages[${this.index}]`,
    });
  }
}

/** A JSON object result goes as it is; anything else is wrapped as `{content}`, since `response` is an object. */
function toolResponse(text: string): Record<string, unknown> {
  if (text.trimStart().startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (isRecord(parsed)) return parsed;
    } catch {
      // Text that only looks like JSON is still a result.
    }
  }
  return { content: text };
}

function withSignature(part: GeminiPart, signature: string | undefined): GeminiPart {
  return signature === undefined ? part : { ...part, thoughtSignature: signature };
}
