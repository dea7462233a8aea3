#!/usr/bin/env node
// Fails when a source file (non-test .ts under packages/*/src, transports/*/src or plugins/*/src) is longer than
// the limit, so a module that has grown several jobs gets split while that is still cheap. Tests are exempt: a
// long table of cases is easier to read than the same cases spread over files.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const MAX_LINES = Number(process.env.MAX_SOURCE_LINES ?? 400);
const root = join(import.meta.dirname, '..');
const groups = ['packages', 'transports', 'plugins'];

function countLines(text) {
  if (text.length === 0) return 0;
  const newlines = text.split('\n').length - 1;
  return text.endsWith('\n') ? newlines : newlines + 1;
}

const offenders = [];
for (const group of groups) {
  for (const entry of readdirSync(join(root, group), { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const sourceDirectory = join(root, group, entry.name, 'src');
    let files;
    try {
      files = readdirSync(sourceDirectory, { recursive: true });
    } catch {
      continue;
    }
    for (const file of files) {
      if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
      const path = join(sourceDirectory, file);
      const lines = countLines(readFileSync(path, 'utf8'));
      if (lines > MAX_LINES) offenders.push({ path: relative(root, path), lines });
    }
  }
}

if (offenders.length > 0) {
  offenders.sort((a, b) => b.lines - a.lines);
  console.error(`Source files over ${MAX_LINES} lines (split them by responsibility):`);
  for (const { path, lines } of offenders) console.error(`  ${path}: ${lines} lines`);
  process.exit(1);
}
console.log(`All source files are at most ${MAX_LINES} lines.`);
