import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { configJsonSchema } from './config-json-schema.js';

describe('configJsonSchema', () => {
  it('matches the committed config.schema.json (run pnpm build to regenerate)', async () => {
    const committed = JSON.parse(await readFile(new URL('../config.schema.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(configJsonSchema());
  });

  it('describes providers, keys and network settings', () => {
    const schema = configJsonSchema() as {
      properties: Record<string, unknown>;
      additionalProperties: unknown;
    };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['providers', 'client', 'plugins']),
    );
    expect(schema.additionalProperties).toBe(false);
    const text = JSON.stringify(schema);
    for (const field of ['base_url', 'retry_backoff_initial', 'buffer_size', 'weight', 'proxy_config']) {
      expect(text).toContain(field);
    }
  });
});
