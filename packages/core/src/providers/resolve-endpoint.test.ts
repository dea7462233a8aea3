import { describe, expect, it } from 'vitest';
import { resolveEndpoint } from './resolve-endpoint.js';

describe('resolveEndpoint', () => {
  it('appends the path to an origin', () => {
    expect(resolveEndpoint('https://api.openai.com', '/v1/chat/completions')).toEqual({
      origin: 'https://api.openai.com',
      path: '/v1/chat/completions',
    });
  });

  it('does not double a version segment the base URL already has', () => {
    expect(resolveEndpoint('https://api.openai.com/v1', '/v1/chat/completions').path).toBe(
      '/v1/chat/completions',
    );
  });

  it('ignores trailing slashes', () => {
    expect(resolveEndpoint('https://api.openai.com/', '/v1/embeddings').path).toBe('/v1/embeddings');
    expect(resolveEndpoint('https://api.openai.com/v1//', '/v1/embeddings').path).toBe('/v1/embeddings');
  });

  it('keeps a path prefix', () => {
    expect(resolveEndpoint('https://api.groq.com/openai', '/v1/chat/completions')).toEqual({
      origin: 'https://api.groq.com',
      path: '/openai/v1/chat/completions',
    });
    expect(resolveEndpoint('https://api.groq.com/openai/v1/', '/v1/chat/completions').path).toBe(
      '/openai/v1/chat/completions',
    );
  });

  it('keeps a non-default port in the origin', () => {
    expect(resolveEndpoint('http://localhost:11434', '/v1/models').origin).toBe('http://localhost:11434');
  });

  it('keeps the query string', () => {
    expect(
      resolveEndpoint('https://example.com/openai/v1?api-version=2024-10-21', '/v1/chat/completions'),
    ).toEqual({
      origin: 'https://example.com',
      path: '/openai/v1/chat/completions?api-version=2024-10-21',
    });
  });

  it('treats a one-segment path as having no version segment', () => {
    expect(resolveEndpoint('https://example.com/model', '/models').path).toBe('/model/models');
  });

  it('matches the version segment whole, not as a suffix', () => {
    expect(resolveEndpoint('https://example.com/apiv1', '/v1/models').path).toBe('/apiv1/v1/models');
  });
});
