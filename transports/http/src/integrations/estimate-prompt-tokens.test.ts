import type { Tool } from '@bifrost/schemas';
import { describe, expect, it } from 'vitest';
import { estimatePromptTokens } from './estimate-prompt-tokens.js';

describe('estimatePromptTokens', () => {
  it('counts a quarter of the characters, rounded up, plus 3 tokens per message', () => {
    expect(estimatePromptTokens([{ role: 'user', content: 'abcdefghi' }])).toBe(3 + 3);
  });

  it('counts text parts, 1,600 per image, tool-call arguments and tool definitions', () => {
    const tools: Tool[] = [{ type: 'function', function: { name: 'f' } }];
    const toolsLength = JSON.stringify(tools).length;
    const tokens = estimatePromptTokens(
      [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'abcd' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
          ],
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'ok' },
      ],
      tools,
    );
    expect(tokens).toBe(Math.ceil((4 + 1 + 2 + 2 + toolsLength) / 4) + 3 * 3 + 1600);
  });
});
