import { describe, expect, it } from 'vitest';
import { publicToolName, toolNamePattern } from './public-tool-name.js';

describe('publicToolName', () => {
  it('prefixes the tool with its client', () => {
    expect(publicToolName('files', 'read_text_file')).toBe('files-read_text_file');
  });

  it('keeps hyphens the server used', () => {
    expect(publicToolName('everything', 'get-sum')).toBe('everything-get-sum');
  });

  it('sanitises refused characters and adds a hash of the original name', () => {
    const name = publicToolName('docs', 'search.v2');

    expect(name).toMatch(/^docs-search_v2_[0-9a-f]{8}$/);
    expect(name).toMatch(toolNamePattern);
  });

  it('tells apart tools that sanitise to the same text', () => {
    expect(publicToolName('docs', 'a.b')).not.toBe(publicToolName('docs', 'a/b'));
  });

  it('shortens long names to 64 characters, deterministically', () => {
    const tool = 'x'.repeat(100);
    const name = publicToolName('client', tool);

    expect(name).toHaveLength(64);
    expect(name).toMatch(toolNamePattern);
    expect(publicToolName('client', tool)).toBe(name);
  });
});
