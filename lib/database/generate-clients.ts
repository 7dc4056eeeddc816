import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { runPrismaCli } from './prisma-cli.js';
import { dataAccessDirectory, serviceNames, type ServiceName } from './service-databases.js';

/** Prisma copies the schema into the generated client; an identical copy means the client is current. */
function isClientCurrent(service: ServiceName): boolean {
  const directory = dataAccessDirectory(service);
  const generatedSchema = `${directory}generated/schema.prisma`;
  return existsSync(`${directory}generated/index.js`) && existsSync(generatedSchema) && readFileSync(generatedSchema, 'utf8') === readFileSync(`${directory}schema.prisma`, 'utf8');
}

/**
 * Generates each service's Prisma client into `services/<service>/data-access/generated/` (not
 * committed): `npm install` runs this through `postinstall`, `npm test` through `pretest`.
 * Clients whose schema has not changed are kept unless `force` is set.
 */
export async function generateClients({ force = false, logger = pino({ name: 'db:generate' }) } = {}): Promise<void> {
  const stale = serviceNames.filter((service) => force || !isClientCurrent(service));
  if (stale.length === 0) {
    logger.info('Prisma clients are up to date');
    return;
  }
  const results = await Promise.all(stale.map(async (service) => ({ service, ...(await runPrismaCli(service, ['generate', '--no-hints'])) })));
  for (const { service, exitCode } of results) {
    if (exitCode === 0) logger.info({ service }, 'Prisma client generated');
  }
  const failed = results.filter((result) => result.exitCode !== 0);
  if (failed.length > 0) {
    throw new Error(`Expected every Prisma client to generate, but ${failed.map((f) => `${f.service} failed:\n${f.output}`).join('\n')}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  generateClients({ force: process.argv.includes('--force') }).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
