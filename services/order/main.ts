import { pino } from 'pino';
import { migrateAll } from '../../lib/database/index.js';
import { loadOrderServiceConfig } from './order-config.js';
import { startOrderService } from './order-service.js';

/** `tsx services/order/main.ts`: migrates the Order database and serves the Order API until SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const config = loadOrderServiceConfig();
  const logger = pino({ name: 'order', level: config.logLevel });
  await migrateAll({ config: config.database, services: ['order'], logger });
  const service = await startOrderService({ ...config, logger });
  logger.info({ url: `http://${config.host}:${service.port}`, products: `http://${config.host}:${service.port}/products` }, 'Order service listening');
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'Order service stopping');
    service.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'Order service did not stop cleanly');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Order service failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
