import { processLogger } from '../../lib/process/process-logger.js';
import { runServiceProcess } from '../../lib/process/run-service.js';
import { migrateAll } from '../../lib/database/index.js';
import { loadInventoryServiceConfig } from './inventory-config.js';
import { startInventoryService } from './inventory-service.js';

/** `tsx services/inventory/main.ts`: migrates the Inventory database and serves stock and commands until SIGINT/SIGTERM. */
async function main() {
  const config = loadInventoryServiceConfig();
  const logger = processLogger({ name: 'inventory', level: config.logLevel });
  await migrateAll({ config: config.database, services: ['inventory'], logger });
  const service = await startInventoryService({ ...config, logger });
  logger.info({ url: `http://${config.host}:${service.port}`, stock: `http://${config.host}:${service.port}/stock/SKU-MUG` }, 'Inventory service listening');
  return { service, logger };
}

runServiceProcess({ displayName: 'Inventory service', start: main });
