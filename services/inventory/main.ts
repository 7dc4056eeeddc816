import { pino } from 'pino';
import { migrateAll } from '../../lib/database/index.js';
import { loadInventoryServiceConfig } from './inventory-config.js';
import { startInventoryService } from './inventory-service.js';

/** `tsx services/inventory/main.ts`: migrates the Inventory database and serves stock and commands until SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const config = loadInventoryServiceConfig();
  const logger = pino({ name: 'inventory', level: config.logLevel });
  await migrateAll({ config: config.database, services: ['inventory'], logger });
  const service = await startInventoryService({ ...config, logger });
  logger.info({ url: `http://${config.host}:${service.port}`, stock: `http://${config.host}:${service.port}/stock/SKU-MUG` }, 'Inventory service listening');
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'Inventory service stopping');
    service.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'Inventory service did not stop cleanly');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Inventory service failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
