import { describe, expect, it } from 'vitest';
import { toMistralChatBody, toMistralEmbeddingBody } from './convert-to-mistral-request.js';
import { toMistralToolCallId } from './mistral-tool-call-id.js';

const model = 'mistral-small-latest';

describe('toMistralToolCallId', () => {
  it('keeps a valid id and maps any other to the same nine alphanumeric characters every time', () => {
    expect(toMistralToolCallId('D681PevKs')).toBe('D681PevKs');
    const mapped = toMistralToolCallId('toolu_01A09q90qw90lq917835lq9');
    expect(mapped).toMatch(/^[a-zA-Z0-9]{9}$/);
    expect(toMistralToolCallId('toolu_01A09q90qw90lq917835lq9')).toBe(mapped);
    expect(toMistralToolCallId('call_other')).not.toBe(mapped);
  });
});

describe('toMistralChatBody', () => {
  it('translates content parts: text, images, audio and files', () => {
    const { body, warnings } = toMistralChatBody(
      {
        provider: 'mistral',
        model,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Read these.', cache_control: { type: 'ephemeral' } },
              { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
              { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
              { type: 'file', file: { file_id: 'file-123' } },
              {
                type: 'file',
                file: { file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' },
              },
            ],
          },
        ],
      },
      false,
    );
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Read these.' },
          { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
          { type: 'input_audio', input_audio: 'UklGRg==' },
          { type: 'file', file_id: 'file-123' },
          {
            type: 'document_url',
            document_url: 'data:application/pdf;base64,JVBERi0=',
            document_name: 'a.pdf',
          },
        ],
      },
    ]);
    expect(warnings).toEqual(['mistral ignores cache_control']);
  });

  it('replays signed reasoning with its signature and warns about encrypted reasoning', () => {
    const { body, warnings } = toMistralChatBody(
      {
        provider: 'mistral',
        model,
        messages: [
          {
            role: 'assistant',
            content: 'Done.',
            reasoning_details: [
              { type: 'reasoning.text', text: 'Thinking.', signature: 'sig-1' },
              { type: 'reasoning.encrypted', data: 'opaque' },
            ],
          },
        ],
      },
      false,
    );
    expect(body.messages).toEqual([
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: [{ type: 'text', text: 'Thinking.' }], signature: 'sig-1' },
          { type: 'text', text: 'Done.' },
        ],
      },
    ]);
    expect(warnings).toEqual(['mistral cannot take encrypted reasoning back: it was left out']);
  });

  it('prefers max_tokens and random_seed when both names are given, and passes only Mistral service tiers', () => {
    const { body, warnings } = toMistralChatBody(
      {
        provider: 'mistral',
        model,
        messages: [],
        params: {
          max_tokens: 10,
          max_completion_tokens: 20,
          seed: 1,
          random_seed: 2,
          service_tier: 'flex',
          store: true,
        },
      },
      true,
    );
    expect(body).toEqual({ model, max_tokens: 10, random_seed: 2, messages: [], stream: true });
    expect(warnings).toEqual(['mistral ignores service_tier "flex"', 'mistral ignores store']);
  });
});

describe('toMistralEmbeddingBody', () => {
  it('keeps Mistral’s own output_dimension over dimensions', () => {
    const { body } = toMistralEmbeddingBody({
      provider: 'mistral',
      model: 'codestral-embed',
      input: 'x',
      params: { output_dimension: 512, dimensions: 256, output_dtype: 'int8' },
    });
    expect(body).toEqual({
      model: 'codestral-embed',
      input: 'x',
      output_dimension: 512,
      output_dtype: 'int8',
    });
  });
});
