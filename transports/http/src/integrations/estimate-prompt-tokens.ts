import type { ChatMessage, ContentPart, Tool } from '@bifrost/schemas';

/** Characters per token of English text in the GPT and Claude tokenizers, as both vendors' guides put it. */
const charactersPerToken = 4;
/** Tokens a message's role and framing cost, whatever its content. */
const tokensPerMessage = 3;
/**
 * Tokens of one image: Anthropic's guide gives about width × height / 750, at most ~1,600 for a resized image;
 * the size is unknown here, so every image counts as the largest.
 */
const tokensPerImage = 1600;

/**
 * Estimates the prompt tokens of a chat request without calling a provider: a quarter of the characters of all
 * text (message text, tool-call arguments, tool results, tool definitions as JSON), 3 tokens per message and
 * 1,600 per image; files and audio are not counted. It serves `count_tokens` and `countTokens` for providers that cannot count; it is an estimate
 * for budgeting, not the provider's tokenizer.
 */
export function estimatePromptTokens(messages: readonly ChatMessage[], tools?: readonly Tool[]): number {
  let characters = 0;
  let fixed = 0;
  for (const message of messages) {
    fixed += tokensPerMessage;
    const content = message.content;
    if (typeof content === 'string') characters += content.length;
    else if (Array.isArray(content)) {
      for (const part of content as ContentPart[]) {
        if (part.type === 'text') characters += part.text.length;
        else if (part.type === 'image_url') fixed += tokensPerImage;
      }
    }
    if (message.role === 'assistant') {
      characters += message.reasoning?.length ?? 0;
      for (const call of message.tool_calls ?? []) {
        characters += call.function.name.length + call.function.arguments.length;
      }
    }
  }
  if (tools && tools.length > 0) characters += JSON.stringify(tools).length;
  return Math.ceil(characters / charactersPerToken) + fixed;
}
