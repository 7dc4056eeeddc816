import { pino } from 'pino';
import { migrateAll } from '../../lib/database/index.js';
import { loadShippingServiceConfig } from './shipping-config.js';
import { startShippingService } from './shipping-service.js';

/** `tsx services/shipping/main.ts`: migrates the Shipping database and serves shipments and commands until SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const config = loadShippingServiceConfig();
  const logger = pino({ name: 'shipping', level: config.logLevel });
  await migrateAll({ config: config.database, services: ['shipping'], logger });
  const service = await startShippingService({ ...config, logger });
  logger.info({ url: `http://${config.host}:${service.port}`, shipments: `http://${config.host}:${service.port}/shipments?orderId=` }, 'Shipping service listening');
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'Shipping service stopping');
    service.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'Shipping service did not stop cleanly');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Shipping service failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
