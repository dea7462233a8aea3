import { describe, expect, it } from 'vitest';
import { isMaximId, readMaximHeaders } from './maxim-headers.js';

describe('readMaximHeaders', () => {
  it('reads the named headers and turns every other x-bf-maxim-* header into a tag', () => {
    expect(
      readMaximHeaders({
        'x-bf-maxim-trace-id': 'trace-1',
        'x-bf-maxim-generation-id': 'generation-1',
        'x-bf-maxim-session-id': 'session-1',
        'x-bf-maxim-trace-name': 'checkout',
        'x-bf-maxim-generation-name': 'summary',
        'x-bf-maxim-log-repo-id': 'repo-2',
        'x-bf-maxim-environment': 'production',
        'x-bf-prom-team': 'payments',
        'content-type': 'application/json',
      }),
    ).toEqual({
      traceId: 'trace-1',
      generationId: 'generation-1',
      sessionId: 'session-1',
      traceName: 'checkout',
      generationName: 'summary',
      logRepoId: 'repo-2',
      tags: { environment: 'production' },
    });
  });

  it('ignores empty values and the bare prefix', () => {
    expect(readMaximHeaders({ 'x-bf-maxim-trace-id': '', 'x-bf-maxim-': 'x' })).toEqual({ tags: {} });
  });
});

describe('isMaximId', () => {
  it('accepts letters, digits, hyphens and underscores only', () => {
    expect(isMaximId('trace_1-A')).toBe(true);
    expect(isMaximId('trace 1')).toBe(false);
    expect(isMaximId('a&b=c')).toBe(false);
  });
});
