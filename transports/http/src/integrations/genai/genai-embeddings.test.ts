import type { EmbeddingResponse } from '@bifrost/schemas';
import { describe, expect, it } from 'vitest';
import { embeddingResponseToGenAI, genAIToEmbeddingRequest } from './genai-embeddings.js';

const content = (text: string) => ({ parts: [{ text }] });

describe('genAI embeddings', () => {
  it('reads batchEmbedContents as the SDK sends it', () => {
    const request = genAIToEmbeddingRequest(
      {
        requests: [
          { model: 'models/text-embedding-004', content: content('first'), outputDimensionality: 64 },
          { model: 'models/text-embedding-004', content: content('second'), outputDimensionality: 64 },
        ],
      },
      'text-embedding-004',
      true,
    );
    expect(request).toEqual({
      provider: 'gemini',
      model: 'text-embedding-004',
      input: ['first', 'second'],
      params: { dimensions: 64 },
    });
  });

  it('reads embedContent with one content', () => {
    expect(
      genAIToEmbeddingRequest({ content: content('only') }, 'openai/text-embedding-3-small', false),
    ).toEqual({
      provider: 'openai',
      model: 'text-embedding-3-small',
      input: 'only',
    });
  });

  it('answers in index order, decoding base64 vectors', () => {
    const response: EmbeddingResponse = {
      object: 'list',
      model: 'm',
      data: [
        {
          object: 'embedding',
          index: 1,
          embedding: Buffer.from(new Float32Array([0.5]).buffer).toString('base64'),
        },
        { object: 'embedding', index: 0, embedding: [0.25] },
      ],
      extra_fields: { provider: 'openai', model: 'm', latency: 1 },
    };
    expect(embeddingResponseToGenAI(response, true)).toEqual({
      embeddings: [{ values: [0.25] }, { values: [0.5] }],
    });
    expect(embeddingResponseToGenAI(response, false)).toEqual({ embedding: { values: [0.25] } });
  });
});
