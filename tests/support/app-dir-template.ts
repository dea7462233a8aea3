import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
} from 'node:fs';
import { cp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** This process's template build in progress, shared by the children that wait for it. */
let building: Promise<void> | undefined;

/** How long a template build may take before another process takes its lock over. */
const buildLimitMs = 180_000;

/**
 * Fills `target` with a copy of an app directory whose embedded database the binary has already created and
 * migrated. Creating one takes several seconds (far more on a busy machine), copying one well under one. The
 * template is made by the binary itself and kept in the temp directory for every test file and later runs, keyed on
 * what its files depend on: the PGlite build and the store's migrations. One process builds it, under a lock file;
 * the others wait for it to appear.
 */
export async function copyAppDirTemplate(binary: string, target: string): Promise<void> {
  const template = templatePath(binary);
  if (!existsSync(template)) await startBuilding(binary, template);
  await cp(template, target, { recursive: true });
}

/**
 * Makes the template when it is missing and waits for it. Test files call it while they load, through
 * `gateway-process.ts`, where no test timeout runs; a failure is left for the first child that needs the template to
 * report.
 */
export async function prepareAppDirTemplate(binary: string): Promise<void> {
  if (!existsSync(binary)) return;
  const template = templatePath(binary);
  if (!existsSync(template)) await startBuilding(binary, template).catch(() => {});
}

function startBuilding(binary: string, template: string): Promise<void> {
  building ??= buildOnce(binary, template).finally(() => {
    building = undefined;
  });
  return building;
}

/** Builds the template if this process wins the lock, else waits for the process that did. */
async function buildOnce(binary: string, template: string): Promise<void> {
  const lock = `${template}.lock`;
  const started = Date.now();
  while (!existsSync(template)) {
    let held: number | undefined;
    try {
      held = openSync(lock, 'wx');
    } catch {
      // Held elsewhere: wait, and take a lock whose builder died over.
      if (Date.now() - lockTime(lock) > buildLimitMs) rmSync(lock, { force: true });
      if (Date.now() - started > 2 * buildLimitMs) throw new Error(`no app directory template after waiting`);
      await sleep(250);
      continue;
    }
    closeSync(held);
    try {
      if (!existsSync(template)) await buildTemplate(binary, template);
    } finally {
      rmSync(lock, { force: true });
    }
  }
}

function lockTime(lock: string): number {
  try {
    return statSync(lock).mtimeMs;
  } catch {
    return Date.now();
  }
}

function templatePath(binary: string): string {
  // A data directory only opens in the PGlite build that wrote it, and a store refuses migrations it does not know.
  const modules = join(dirname(binary), '..', 'node_modules');
  const store = join(realpathSync(join(modules, '@bifrost', 'store')), 'dist');
  const hash = createHash('sha256').update(realpathSync(join(modules, '@electric-sql', 'pglite')));
  const files = readdirSync(store, { withFileTypes: true }).filter((entry) => entry.isFile());
  for (const file of files.map((entry) => entry.name).sort()) {
    hash.update(file).update(readFileSync(join(store, file)));
  }
  return join(tmpdir(), `bifrost-http-app-dir-${hash.digest('hex').slice(0, 16)}`);
}

async function buildTemplate(binary: string, template: string): Promise<void> {
  const partial = `${template}.${process.pid}`;
  const config = `${partial}.json`;
  await writeFile(config, JSON.stringify({ providers: {} }));
  const child = spawn(
    process.execPath,
    [binary, '-config', config, '-port', '0', '-host', '127.0.0.1', '-app-dir', partial],
    { env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // A test process that ends mid-build must not leave the builder listening behind it.
  const killBuilder = () => child.kill('SIGKILL');
  process.once('exit', killBuilder);
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('did not start within 120 s')), 120_000);
      child.stdout!.setEncoding('utf8').on('data', (text: string) => {
        if (!text.includes('"bifrost-http listening"')) return;
        clearTimeout(timer);
        resolve();
      });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`exited with code ${code}`));
      });
    });
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    await rm(partial, { recursive: true, force: true });
    throw new Error(`making the app directory template: ${(error as Error).message}\n${stderr}`);
  } finally {
    // Stopped cleanly, so the store is closed and its lock released before the copy is taken.
    child.kill('SIGTERM');
    await exited;
    process.off('exit', killBuilder);
    await rm(config, { force: true });
  }
  await rename(partial, template);
}
