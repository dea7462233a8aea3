import { describe, expect, it } from 'vitest';
import { filterAllows, listNames, toolFilterFromHeaders } from './tool-filter.js';

const sum = { client: 'everything', name: 'get-sum', publicName: 'everything-get-sum' };
const read = { client: 'files', name: 'read_file', publicName: 'files-read_file' };

describe('toolFilterFromHeaders', () => {
  it('lets every tool through without headers', () => {
    const filter = toolFilterFromHeaders({});

    expect(filterAllows(filter, sum)).toBe(true);
    expect(filterAllows(filter, read)).toBe(true);
  });

  it('keeps only the included clients', () => {
    const filter = toolFilterFromHeaders({ 'x-bf-mcp-include-clients': ' files , other' });

    expect(filterAllows(filter, sum)).toBe(false);
    expect(filterAllows(filter, read)).toBe(true);
  });

  it('drops the excluded clients', () => {
    const filter = toolFilterFromHeaders({ 'x-bf-mcp-exclude-clients': 'files' });

    expect(filterAllows(filter, sum)).toBe(true);
    expect(filterAllows(filter, read)).toBe(false);
  });

  it('matches tools by their own name or the name the model sees', () => {
    const byOwnName = toolFilterFromHeaders({ 'x-bf-mcp-include-tools': 'get-sum' });
    const byPublicName = toolFilterFromHeaders({ 'x-bf-mcp-exclude-tools': 'files-read_file' });

    expect([filterAllows(byOwnName, sum), filterAllows(byOwnName, read)]).toEqual([true, false]);
    expect([filterAllows(byPublicName, sum), filterAllows(byPublicName, read)]).toEqual([true, false]);
  });

  it('allows nothing when an include header is empty', () => {
    expect(filterAllows(toolFilterFromHeaders({ 'x-bf-mcp-include-tools': '' }), sum)).toBe(false);
  });
});

describe('listNames', () => {
  it('falls back to the default when the list is absent', () => {
    expect(listNames(undefined, 'a', true)).toBe(true);
    expect(listNames(undefined, 'a', false)).toBe(false);
  });

  it('matches names and the wildcard', () => {
    expect(listNames(['a'], 'a', false)).toBe(true);
    expect(listNames(['b'], 'a', true)).toBe(false);
    expect(listNames(['*'], 'a', false)).toBe(true);
  });
});
