import type { AssistantMessage, ChatMessage, ProviderName, TextContentPart } from '@bifrost/schemas';
import { GatewayError } from '../../errors/gateway-error.js';
import type { BedrockCachePoint, BedrockContentBlock, BedrockMessage } from './bedrock-api.js';
import { addWarning, appendUserPart, cachePointFor } from './convert-to-bedrock-content.js';

/** Converse's conversation: system blocks apart, the rest as alternating user and assistant turns. */
export interface BedrockConversation {
  system: Array<{ text: string } | BedrockCachePoint>;
  messages: BedrockMessage[];
  /** Whether any turn carries toolUse or toolResult blocks, which Converse accepts only with a toolConfig. */
  usesTools: boolean;
}

/**
 * OpenAI messages → Converse. System and developer messages become `system` blocks; tool results become
 * `toolResult` blocks in a user turn; consecutive turns of the same role are merged, since Converse requires
 * the roles to alternate. `cache_control` becomes a `cachePoint` after the marked block.
 */
export function convertToBedrockMessages(
  messages: readonly ChatMessage[],
  context: { provider: ProviderName; model: string },
  warnings: string[],
): BedrockConversation {
  const conversation: BedrockConversation = { system: [], messages: [], usesTools: false };
  for (let index = 0; index < messages.length; index++) {
    const message = messages[index]!;
    if ('name' in message && message.name !== undefined)
      addWarning(warnings, 'bedrock ignores message names');
    switch (message.role) {
      case 'system':
      case 'developer':
        appendTextParts(message.content, conversation.system);
        break;
      case 'user': {
        const blocks: BedrockContentBlock[] = [];
        if (typeof message.content === 'string') blocks.push({ text: message.content });
        else for (const part of message.content) appendUserPart(part, blocks, warnings);
        appendTurn(conversation.messages, 'user', blocks);
        break;
      }
      case 'assistant': {
        const blocks = assistantBlocks(message, index, context, warnings);
        if (message.tool_calls?.length) conversation.usesTools = true;
        if (blocks.length === 0) addWarning(warnings, 'bedrock left out an empty assistant message');
        else appendTurn(conversation.messages, 'assistant', blocks);
        break;
      }
      case 'tool': {
        conversation.usesTools = true;
        appendTurn(conversation.messages, 'user', toolResultBlocks(message.tool_call_id, message.content));
        break;
      }
    }
  }
  return conversation;
}

function appendTurn(
  turns: BedrockMessage[],
  role: 'user' | 'assistant',
  blocks: BedrockContentBlock[],
): void {
  const last = turns[turns.length - 1];
  if (last !== undefined && last.role === role) {
    for (const block of blocks) last.content.push(block);
  } else {
    turns.push({ role, content: blocks });
  }
}

/** Text content as `{text}` blocks, with a cache point after each part marked for caching. */
function appendTextParts(
  content: string | TextContentPart[],
  blocks: { push(...items: Array<{ text: string } | BedrockCachePoint>): number },
): void {
  if (typeof content === 'string') {
    blocks.push({ text: content });
    return;
  }
  for (const part of content) {
    blocks.push({ text: part.text });
    if (part.cache_control) blocks.push(cachePointFor(part.cache_control));
  }
}

/**
 * A tool result as `{text}` blocks (kept as text, never re-parsed as JSON); a cache point marked on any of its
 * parts goes after the whole result, since Converse allows none inside it.
 */
function toolResultBlocks(toolUseId: string, content: string | TextContentPart[]): BedrockContentBlock[] {
  if (typeof content === 'string') return [{ toolResult: { toolUseId, content: [{ text: content }] } }];
  const texts: Array<{ text: string }> = [];
  let cacheControl: TextContentPart['cache_control'];
  for (const part of content) {
    texts.push({ text: part.text });
    if (part.cache_control) cacheControl = part.cache_control;
  }
  const blocks: BedrockContentBlock[] = [{ toolResult: { toolUseId, content: texts } }];
  if (cacheControl) blocks.push(cachePointFor(cacheControl));
  return blocks;
}

/** Reasoning first (with signatures, as the model wrote it), then text, then tool calls. */
function assistantBlocks(
  message: AssistantMessage,
  index: number,
  context: { provider: ProviderName; model: string },
  warnings: string[],
): BedrockContentBlock[] {
  const blocks: BedrockContentBlock[] = [];
  if (message.reasoning_details?.length) {
    for (const detail of message.reasoning_details) {
      if (detail.type === 'reasoning.text') {
        const reasoningText: { text: string; signature?: string } = { text: detail.text };
        if (detail.signature !== undefined) reasoningText.signature = detail.signature;
        blocks.push({ reasoningContent: { reasoningText } });
      } else {
        blocks.push({ reasoningContent: { redactedContent: detail.data } });
      }
    }
  } else if (message.reasoning) {
    addWarning(
      warnings,
      'bedrock replays assistant reasoning only from reasoning_details (it needs the signature)',
    );
  }
  if (typeof message.content === 'string') {
    if (message.content !== '') blocks.push({ text: message.content });
  } else if (message.content) {
    appendTextParts(message.content, blocks);
  }
  const toolCalls = message.tool_calls ?? [];
  for (let call = 0; call < toolCalls.length; call++) {
    const toolCall = toolCalls[call]!;
    blocks.push({
      toolUse: {
        toolUseId: toolCall.id,
        name: toolCall.function.name,
        input: parseArguments(toolCall.function.arguments, `messages[${index}].tool_calls[${call}]`, context),
      },
    });
  }
  return blocks;
}

/** Converse wants the tool input as a JSON object, not OpenAI's string; an unreadable one is the caller's error. */
function parseArguments(
  text: string,
  where: string,
  context: { provider: ProviderName; model: string },
): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new GatewayError('invalid_request', `${where}.function.arguments is not valid JSON`, {
      ...context,
      param: `${where}.function.arguments`,
    });
  }
}
