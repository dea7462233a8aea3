import type { PostgresConnectionConfig } from '@bifrost/schemas';

/**
 * Upstream's Postgres settings (`host`, `port`, `user`, `password`, `db_name`, `ssl_mode`) as a connection URL,
 * each part escaped so a password with `@` or `/` survives.
 */
export function postgresConnectionString(connection: PostgresConnectionConfig): string {
  const user = encodeURIComponent(connection.user);
  const password = encodeURIComponent(connection.password);
  const credentials = password === '' ? user : `${user}:${password}`;
  const database = encodeURIComponent(connection.db_name);
  const sslMode = encodeURIComponent(connection.ssl_mode);
  return `postgres://${credentials}@${connection.host}:${connection.port}/${database}?sslmode=${sslMode}`;
}
