// The throwaway Postgres that cross-package suites start (two gateway processes sharing one database). It lives in
// @bifrost/store's testing entry, where the store's own suite uses it too; this is the path `tests/` imports.
export type {
  PostgresServer,
  PostgresServerOptions,
} from '../../packages/store/src/testing/postgres-server.js';
export {
  findPostgresBinDirectory,
  postgresUnavailableReason,
  startPostgresServer,
} from '../../packages/store/src/testing/postgres-server.js';
