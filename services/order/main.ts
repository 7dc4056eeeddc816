import { processLogger } from '../../lib/process/process-logger.js';
import { runServiceProcess } from '../../lib/process/run-service.js';
import { migrateAll } from '../../lib/database/index.js';
import { devSecretWarning } from '../../lib/http/customer-auth.js';
import { loadOrderServiceConfig } from './order-config.js';
import { startOrderService } from './order-service.js';

/** `tsx services/order/main.ts`: migrates the Order database and serves the Order API until SIGINT/SIGTERM. */
async function main() {
  const config = loadOrderServiceConfig();
  const logger = processLogger({ name: 'order', level: config.logLevel });
  if (config.auth.usingDevSecret) logger.warn(devSecretWarning, 'ORDERFLOW_JWT_SECRET is not set; customer tokens are signed and checked with the public development secret');
  if (config.devLogin) logger.warn({ route: 'POST /dev/login' }, 'Dev login is on: anyone can sign in as any customer');
  await migrateAll({ config: config.database, services: ['order'], logger });
  const service = await startOrderService({ ...config, logger });
  logger.info({ url: `http://${config.host}:${service.port}`, checkout: `http://${config.host}:${service.port}/`, products: `http://${config.host}:${service.port}/products` }, 'Order service listening');
  return { service, logger };
}

runServiceProcess({ displayName: 'Order service', start: main });
