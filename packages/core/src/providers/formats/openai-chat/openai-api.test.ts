import { describe, expect, it } from 'vitest';
import { readOpenAIFixture } from '../../../testing/openai-fixtures.js';
import {
  readChatChunk,
  readChatCompletion,
  readEmbeddings,
  readModelList,
  readTextCompletion,
} from './openai-api.js';

describe('OpenAI response readers', () => {
  it('accept the documented bodies', () => {
    const chat = readOpenAIFixture('chat-completion');
    expect(readChatCompletion(chat, 'openai', 'gpt-4o')).toBe(chat);
    expect(
      readTextCompletion(readOpenAIFixture('completion'), 'openai', 'gpt-3.5-turbo-instruct').choices,
    ).toHaveLength(1);
    expect(readEmbeddings(readOpenAIFixture('embeddings'), 'openai', 'ada').data).toHaveLength(1);
  });

  it('turn a 200 carrying an error into a provider error', () => {
    const body = { error: { message: 'The model is overloaded', type: 'server_error', code: null } };
    let caught: unknown;
    try {
      readChatCompletion(body, 'openai', 'gpt-4o');
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({
      code: 'provider_error',
      message: 'The model is overloaded',
      fromProvider: true,
      upstreamType: 'server_error',
      upstreamCode: null,
      provider: 'openai',
      model: 'gpt-4o',
    });
  });

  it('refuse a body of the wrong shape, saying what is missing', () => {
    expect(() => readChatCompletion([], 'groq', 'llama')).toThrow(
      'groq returned a malformed response: expected a chat completion object',
    );
    expect(() => readChatCompletion({ id: 'x' }, 'groq', 'llama')).toThrow('missing "choices" array');
    expect(() => readChatCompletion({ choices: [{}] }, 'groq', 'llama')).toThrow('a choice has no "message"');
    expect(() => readEmbeddings({ object: 'list' }, 'openai', 'ada')).toThrow('missing "data" array');
  });

  it('give a usage-only chunk without choices an empty choices array', () => {
    const usage = { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 };
    expect(readChatChunk({ id: 'c', usage }, 'ollama', 'llama3').choices).toEqual([]);
    expect(() => readChatChunk({ id: 'c' }, 'ollama', 'llama3')).toThrow('a stream chunk has no "choices"');
  });

  it('prefix listed model ids with the provider', () => {
    expect(readModelList(readOpenAIFixture('models'), 'openai', '')).toEqual([
      { id: 'openai/model-id-0', object: 'model', created: 1686935002, owned_by: 'organization-owner' },
      { id: 'openai/model-id-1', object: 'model', created: 1686935002, owned_by: 'organization-owner' },
      { id: 'openai/model-id-2', object: 'model', created: 1686935002, owned_by: 'openai' },
    ]);
    expect(readModelList({ models: [{ name: 'llama3:8b' }, { size: 1 }] }, 'ollama', '')).toEqual([
      { id: 'ollama/llama3:8b', object: 'model', created: 0, owned_by: 'ollama' },
    ]);
  });
});
