export type { PostgresServer, PostgresServerOptions } from './postgres-server.js';
export {
  findPostgresBinDirectory,
  postgresUnavailableReason,
  startPostgresServer,
} from './postgres-server.js';
