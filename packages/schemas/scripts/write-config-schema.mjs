// Writes config.schema.json from the built package; run after `tsdown` (part of `pnpm build`).
import { writeFile } from 'node:fs/promises';
import { configJsonSchema } from '../dist/index.js';

const target = new URL('../config.schema.json', import.meta.url);
await writeFile(target, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
