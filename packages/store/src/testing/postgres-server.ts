import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/** A throwaway Postgres cluster on 127.0.0.1, for tests. */
export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:PORT/DATABASE` for the database created at start. */
  connectionString: string;
  port: number;
  /** Creates another empty database on the same server and returns its connection string. */
  createDatabase: (name: string) => Promise<string>;
  /** Stops the server but keeps its data, to test outages; `start` brings it back on the same port. */
  pause: () => Promise<void>;
  /** Starts a paused server again. */
  start: () => Promise<void>;
  /** Stops the server and deletes its files. */
  stop: () => Promise<void>;
}

/** Options for {@link startPostgresServer}. */
export interface PostgresServerOptions {
  /**
   * The database created at start.
   * @default 'bifrost'
   */
  database?: string;
  /**
   * The folder holding `initdb` and `pg_ctl`.
   * @default $POSTGRES_BIN_DIR, else the newest /usr/lib/postgresql/N/bin
   */
  binDirectory?: string;
}

/** Where Postgres's server binaries are, or undefined when none is installed. */
export function findPostgresBinDirectory(): string | undefined {
  // An explicit folder wins, even one without the binaries: that is how a run proves the suite's handling of none.
  const fromEnvironment = process.env.POSTGRES_BIN_DIR;
  if (fromEnvironment) return existsSync(join(fromEnvironment, 'initdb')) ? fromEnvironment : undefined;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((name) => existsSync(join(root, name, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(root, versions[0], 'bin');
}

/** Why a real Postgres cannot be started here, or undefined when it can. */
export function postgresUnavailableReason(): string | undefined {
  return findPostgresBinDirectory() === undefined
    ? "Postgres server binaries not found (install Debian's postgresql package, or set POSTGRES_BIN_DIR)"
    : undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Postgres refuses to run as root: as root, run its binaries as the `postgres` system user. */
async function postgresUser(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const { stdout: uid } = await run('id', ['-u', 'postgres']);
  const { stdout: gid } = await run('id', ['-g', 'postgres']);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}

/**
 * Starts a throwaway Postgres: `initdb` in a temp folder with trust auth, `pg_ctl start` on 127.0.0.1 at a free port
 * with durability off (tests need speed, not crash safety), and one database. Rejects when the binaries are missing:
 * check {@link postgresUnavailableReason} first to skip or fail with a clear message.
 */
export async function startPostgresServer(options: PostgresServerOptions = {}): Promise<PostgresServer> {
  const binDirectory = options.binDirectory ?? findPostgresBinDirectory();
  if (binDirectory === undefined) throw new Error(postgresUnavailableReason());
  const user = await postgresUser();
  const root = mkdtempSync(join(tmpdir(), 'bifrost-postgres-'));
  if (user) chownSync(root, user.uid, user.gid);
  const dataDirectory = join(root, 'data');
  const asPostgres = (binary: string, args: string[]) =>
    user
      ? run('runuser', ['-u', 'postgres', '--', join(binDirectory, binary), ...args])
      : run(join(binDirectory, binary), args);

  await asPostgres('initdb', [
    '-D',
    dataDirectory,
    '-U',
    'postgres',
    '--auth=trust',
    '--no-sync',
    '-E',
    'UTF8',
  ]);
  const port = await freePort();
  const serverOptions = `-p ${port} -h 127.0.0.1 -k ${root} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  const start = async () => {
    await asPostgres('pg_ctl', [
      'start',
      '-w',
      '-D',
      dataDirectory,
      '-l',
      join(root, 'server.log'),
      '-o',
      serverOptions,
    ]);
  };
  const stopServer = async (mode: string) => {
    await asPostgres('pg_ctl', ['stop', '-w', '-D', dataDirectory, '-m', mode]);
  };
  await start();

  const connectionStringFor = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const createDatabase = async (name: string) => {
    const client = new pg.Client({ connectionString: connectionStringFor('postgres') });
    await client.connect();
    try {
      await client.query(`create database ${client.escapeIdentifier(name)}`);
    } finally {
      await client.end();
    }
    return connectionStringFor(name);
  };

  const database = options.database ?? 'bifrost';
  return {
    connectionString: await createDatabase(database),
    port,
    createDatabase,
    pause: () => stopServer('fast'),
    start,
    stop: async () => {
      await stopServer('immediate').catch(() => {});
      rmSync(root, { recursive: true, force: true });
    },
  };
}
