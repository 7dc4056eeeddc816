import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { pino, type Logger } from 'pino';
import { connectionFor, connectionUrl, loadDatabaseConfig, serviceDatabaseUrlVariable, type ConnectionOptions, type DatabaseConfig } from './database-config.js';
import { ensureDatabaseExists, withConnection } from './ensure-database.js';
import { MigrationFailedError } from './errors.js';
import { runPrismaCli } from './prisma-cli.js';
import { dataAccessDirectory, serviceNames, type ServiceName } from './service-databases.js';

export interface MigrateOptions {
  config?: DatabaseConfig;
  services?: readonly ServiceName[];
  logger?: Logger;
}

/** The migration folders `prisma migrate deploy` reports as applied ("└─ 20251123200000_init/"). */
function appliedMigrations(output: string): string[] {
  return [...output.matchAll(/└─ (\S+?)\/\s*$/gm)].map((match) => match[1]!).filter((name) => name !== 'migrations');
}

/**
 * Brings every service's database to its latest migration: creates the database if it is missing,
 * then runs `prisma migrate deploy` with the JavaScript schema engine. Safe to run again and from
 * several processes at once (Prisma takes an advisory lock).
 * @throws DatabaseUnreachableError when PostgreSQL does not answer; MigrationFailedError when a migration fails.
 */
export async function migrateAll({ config = loadDatabaseConfig(), services = serviceNames, logger = pino({ name: 'db:migrate' }) }: MigrateOptions = {}): Promise<void> {
  // Created one at a time: CREATE DATABASE copies template1, and parallel copies can collide.
  for (const service of services) {
    const connection = connectionFor(service, config);
    if (await ensureDatabaseExists(connection, config.maintenanceDatabase)) {
      logger.info({ service, database: connection.database }, 'Database created');
    }
  }
  await Promise.all(services.map((service) => migrateService(service, config, logger)));
}

async function migrateService(service: ServiceName, config: DatabaseConfig, logger: Logger): Promise<void> {
  const connection = connectionFor(service, config);
  if (await upToDate(service, connection)) {
    logger.info({ service, database: connection.database }, 'Migrations up to date');
    return;
  }
  logger.info({ service, database: connection.database }, 'Applying migrations');
  // The child process reads its connection from the environment, like `npx prisma migrate deploy` run by hand.
  const env = { ...process.env, [serviceDatabaseUrlVariable(service)]: connectionUrl(connection) };
  const { exitCode, output } = await runPrismaCli(service, ['migrate', 'deploy'], env);
  if (exitCode !== 0) throw new MigrationFailedError(service, connection.database, output.trim());
  logger.info({ service, database: connection.database, applied: appliedMigrations(output) }, 'Migrations applied');
}

/**
 * Whether every migration folder of the service is recorded as applied in Prisma's own table,
 * with no failed one: then `prisma migrate deploy` would do nothing, and starting its CLI and
 * schema engine takes seconds. Anything else (a new database, a pending or failed migration) is
 * left to Prisma.
 */
async function upToDate(service: ServiceName, connection: ConnectionOptions): Promise<boolean> {
  const folders = (await readdir(path.join(dataAccessDirectory(service), 'migrations'), { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
  const rows = await withConnection(connection, async (client) => {
    try {
      return (await client.query<{ migration_name: string; finished: boolean; rolled_back: boolean }>(
        'SELECT migration_name, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS rolled_back FROM _prisma_migrations',
      )).rows;
    } catch (error) {
      if ((error as { code?: unknown }).code === UNDEFINED_TABLE) return [];
      throw error;
    }
  });
  if (rows.some((row) => !row.finished && !row.rolled_back)) return false;
  const applied = new Set(rows.filter((row) => row.finished && !row.rolled_back).map((row) => row.migration_name));
  return folders.every((folder) => applied.has(folder));
}

const UNDEFINED_TABLE = '42P01';

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  migrateAll().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
