#!/usr/bin/env node
// Creates an empty Postgres cluster with PGlite once, at build time, and ships it as dist/pglite-template.tar.gz.
// A gateway's first start on the embedded store unpacks it (about a second) instead of running initdb in
// WebAssembly (5 to 15 seconds). Built with the PGlite this package depends on, so the two always match.

import { writeFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';

const target = new URL('../dist/pglite-template.tar.gz', import.meta.url);
const started = performance.now();
const database = await PGlite.create();
const archive = await database.dumpDataDir('gzip');
await database.close();
await writeFile(target, Buffer.from(await archive.arrayBuffer()));
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`pglite template: ${(archive.size / 2 ** 20).toFixed(1)} MiB in ${seconds} s`);
