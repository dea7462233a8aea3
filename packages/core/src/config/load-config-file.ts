import { readFile } from 'node:fs/promises';
import type { ConfigFile } from '@bifrost/schemas';
import { ConfigError } from './config-error.js';
import { parseConfigText } from './parse-config.js';

/** Reads, validates and resolves a config file. Throws a {@link ConfigError} naming each problem's path. */
export async function loadConfigFile(
  path: string,
  env: Record<string, string | undefined> = process.env,
): Promise<ConfigFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(path, [
      {
        path: '(file)',
        message: `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      },
    ]);
  }
  return parseConfigText(text, { source: path, env });
}
