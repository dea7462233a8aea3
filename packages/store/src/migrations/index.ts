import type { Migration } from 'kysely';
import * as config from './0001-config.js';
import * as requestLogs from './0002-request-logs.js';
import * as settings from './0003-settings.js';
import * as providerGovernanceRows from './0004-provider-governance-rows.js';

/**
 * Every migration, by name, in the order they run. Names are numbered so the order is plain; a released migration is
 * never edited, only followed by a new one.
 */
export const migrations: Readonly<Record<string, Migration>> = {
  '0001-config': config,
  '0002-request-logs': requestLogs,
  '0003-settings': settings,
  '0004-provider-governance-rows': providerGovernanceRows,
};
