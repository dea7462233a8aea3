import type { ChatRequest, Tool } from '@bifrost/schemas';
import { describe, expect, it } from 'vitest';
import { injectTools } from './inject-tools.js';

const request: ChatRequest = {
  provider: 'openai',
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'hi' }],
};
const tool = (name: string, description = name): Tool => ({
  type: 'function',
  function: { name, description },
});

describe('injectTools', () => {
  it('adds the tools to params.tools', () => {
    expect(injectTools(request, [tool('a')]).params).toEqual({ tools: [tool('a')] });
  });

  it('keeps the caller tools first and their definitions when names clash', () => {
    const own = { ...request, params: { temperature: 0, tools: [tool('a', 'mine')] } };

    expect(injectTools(own, [tool('a', 'server'), tool('b')]).params).toEqual({
      temperature: 0,
      tools: [tool('a', 'mine'), tool('b')],
    });
  });

  it('leaves the request untouched when there is nothing to add', () => {
    expect(injectTools(request, [])).toBe(request);
  });
});
