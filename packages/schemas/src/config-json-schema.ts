import { z } from 'zod';
import { configFileSchema } from './config.js';

/**
 * The JSON Schema of the config file, for editor completion and validation (`"$schema"` in the file). Generated
 * from the same zod schema the gateway validates with, so the two cannot drift.
 */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configFileSchema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return {
    ...schema,
    title: 'Bifrost gateway config',
  };
}
