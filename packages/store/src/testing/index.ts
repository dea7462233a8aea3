export type { PostgresServer, PostgresServerOptions } from './postgres-server.js';
export {
  findPostgresBinDirectory,
  postgresUnavailableReason,
  startPostgresServer,
} from './postgres-server.js';
export type { TestBackend } from './store-test-backends.js';
export { useStoreBackends } from './store-test-backends.js';
