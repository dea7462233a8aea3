import type { Logger } from '@bifrost/schemas';
import { openStore, openStoreOverPGlite, type Store } from '@bifrost/store';
import { PGlite } from '@electric-sql/pglite';
import type { StateTarget } from './state-target.js';

/** Opens (and migrates) the store a {@link StateTarget} names, and says where it is. */
export async function openGatewayStore(target: StateTarget, logger: Logger): Promise<Store> {
  switch (target.kind) {
    case 'postgres': {
      const store = await openStore({
        type: 'postgres',
        connectionString: target.connectionString,
        maxConnections: target.maxConnections,
      });
      // The host alone: the connection string may hold a password.
      const { connectionString } = target;
      const host = URL.canParse(connectionString) ? new URL(connectionString).host : undefined;
      logger.info('state kept in Postgres', { host });
      return store;
    }
    case 'embedded': {
      const store = await openStore({ type: 'embedded', directory: target.directory });
      logger.info('state kept in the app directory', { app_dir: target.directory });
      return store;
    }
    case 'memory':
      logger.warn('no app directory and no Postgres config_store: state is kept in memory and lost on exit');
      return openStoreOverPGlite(new PGlite());
  }
}
