import { processLogger } from '../../lib/process/process-logger.js';
import { runServiceProcess } from '../../lib/process/run-service.js';
import { migrateAll } from '../../lib/database/index.js';
import { loadShippingServiceConfig } from './shipping-config.js';
import { startShippingService } from './shipping-service.js';

/** `tsx services/shipping/main.ts`: migrates the Shipping database and serves shipments and commands until SIGINT/SIGTERM. */
async function main() {
  const config = loadShippingServiceConfig();
  const logger = processLogger({ name: 'shipping', level: config.logLevel });
  await migrateAll({ config: config.database, services: ['shipping'], logger });
  const service = await startShippingService({ ...config, logger });
  logger.info({ url: `http://${config.host}:${service.port}`, shipments: `http://${config.host}:${service.port}/shipments?orderId=` }, 'Shipping service listening');
  return { service, logger };
}

runServiceProcess({ displayName: 'Shipping service', start: main });
