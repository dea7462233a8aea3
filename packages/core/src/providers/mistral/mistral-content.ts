import type { ReasoningDetail } from '@bifrost/schemas';

/** A Mistral message's content split the way OpenAI's shape carries it. */
export interface SplitContent {
  /** The answer's text; `null` when Mistral sent none. */
  text: string | null;
  /** The `thinking` chunks' text, joined; empty when the model did not reason. */
  reasoning: string;
  /** The thinking blocks that came with a signature, kept so they can be sent back. */
  signedReasoning: ReasoningDetail[];
}

/**
 * Splits Mistral's `content` (a string, or a list of chunks where Magistral models put `thinking` chunks before
 * the `text` chunk) into text and reasoning. Other chunk kinds (references) carry nothing OpenAI's shape has.
 */
export function splitMistralContent(content: unknown): SplitContent {
  if (typeof content === 'string') return { text: content, reasoning: '', signedReasoning: [] };
  if (!Array.isArray(content)) return { text: null, reasoning: '', signedReasoning: [] };
  let text: string | null = null;
  let reasoning = '';
  const signedReasoning: ReasoningDetail[] = [];
  for (const chunk of content) {
    if (typeof chunk !== 'object' || chunk === null) continue;
    const record = chunk as Record<string, unknown>;
    if (record.type === 'text' && typeof record.text === 'string') {
      text = (text ?? '') + record.text;
    } else if (record.type === 'thinking') {
      const thought = textOf(record.thinking);
      reasoning += thought;
      if (typeof record.signature === 'string' && record.signature !== '') {
        signedReasoning.push({ type: 'reasoning.text', text: thought, signature: record.signature });
      }
    }
  }
  return { text, reasoning, signedReasoning };
}

function textOf(chunks: unknown): string {
  if (typeof chunks === 'string') return chunks;
  if (!Array.isArray(chunks)) return '';
  let text = '';
  for (const chunk of chunks) {
    const value = (chunk as { text?: unknown } | null)?.text;
    if (typeof value === 'string') text += value;
  }
  return text;
}
