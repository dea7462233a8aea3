import { describe, expect, it } from 'vitest';
import { isVirtualKeyValue, readVirtualKey } from './read-virtual-key.js';

const from = (headers: Record<string, string>) => readVirtualKey((name) => headers[name]);

describe('readVirtualKey', () => {
  it('takes any x-bf-vk value, legacy keys without the prefix included', () => {
    expect(from({ 'x-bf-vk': 'legacy-key' })).toBe('legacy-key');
    expect(from({ 'x-bf-vk': 'sk-bf-1', authorization: 'Bearer sk-bf-2' })).toBe('sk-bf-1');
  });

  it('finds an sk-bf- credential where each SDK sends its API key', () => {
    expect(from({ authorization: 'Bearer sk-bf-openai' })).toBe('sk-bf-openai');
    expect(from({ authorization: 'bearer SK-BF-upper' })).toBe('SK-BF-upper');
    expect(from({ 'x-api-key': 'sk-bf-anthropic' })).toBe('sk-bf-anthropic');
    expect(from({ 'x-goog-api-key': 'sk-bf-genai' })).toBe('sk-bf-genai');
    expect(from({ 'api-key': 'sk-bf-azure' })).toBe('sk-bf-azure');
  });

  it('leaves provider keys and empty values alone', () => {
    expect(from({ authorization: 'Bearer sk-proj-123' })).toBeUndefined();
    expect(from({ 'x-api-key': 'sk-ant-123' })).toBeUndefined();
    expect(from({ 'x-bf-vk': '  ' })).toBeUndefined();
    expect(from({ authorization: 'Basic c2stYmYtMTIz' })).toBeUndefined();
    expect(isVirtualKeyValue('sk-bf-')).toBe(false);
  });
});
