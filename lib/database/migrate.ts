import { pathToFileURL } from 'node:url';
import { pino, type Logger } from 'pino';
import { connectionFor, connectionUrl, loadDatabaseConfig, serviceDatabaseUrlVariable, type DatabaseConfig } from './database-config.js';
import { ensureDatabaseExists } from './ensure-database.js';
import { MigrationFailedError } from './errors.js';
import { runPrismaCli } from './prisma-cli.js';
import { serviceNames, type ServiceName } from './service-databases.js';

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
  logger.info({ service, database: connection.database }, 'Applying migrations');
  // The child process reads its connection from the environment, like `npx prisma migrate deploy` run by hand.
  const env = { ...process.env, [serviceDatabaseUrlVariable(service)]: connectionUrl(connection) };
  const { exitCode, output } = await runPrismaCli(service, ['migrate', 'deploy'], env);
  if (exitCode !== 0) throw new MigrationFailedError(service, connection.database, output.trim());
  logger.info({ service, database: connection.database, applied: appliedMigrations(output) }, 'Migrations applied');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  migrateAll().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
