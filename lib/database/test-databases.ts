import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { pino } from 'pino';
import { connectionFor, loadDatabaseConfig, type DatabaseConfig } from './database-config.js';
import { withMaintenanceConnection } from './ensure-database.js';
import { migrateAll } from './migrate.js';
import { serviceNames, type ServiceName } from './service-databases.js';

export interface TestDatabases {
  config: DatabaseConfig;
  /** Drops the databases, closing any connection still open to them. */
  drop(): Promise<void>;
}

/**
 * Creates and migrates fresh databases for a test run, named `orderflow_test_<random>_<service>`
 * on the server the environment points at, so parallel test files never share state.
 */
export async function createTestDatabases(services: readonly ServiceName[] = serviceNames): Promise<TestDatabases> {
  const config: DatabaseConfig = {
    ...loadDatabaseConfig(),
    databasePrefix: `orderflow_test_${randomBytes(4).toString('hex')}`,
    overrides: {},
  };
  const drop = () => dropDatabases(config, services);
  try {
    await migrateAll({ config, services, logger: pino({ level: 'warn' }) });
  } catch (error) {
    await drop().catch(() => undefined);
    throw error;
  }
  return { config, drop };
}

/** Drops the services' databases named by `config`, closing any connection still open to them. */
export async function dropDatabases(config: DatabaseConfig, services: readonly ServiceName[]): Promise<void> {
  await withMaintenanceConnection(connectionFor(services[0] ?? 'order', config), config.maintenanceDatabase, async (client) => {
    for (const service of services) {
      await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(connectionFor(service, config).database)} WITH (FORCE)`);
    }
  });
}
