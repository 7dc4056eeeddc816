import { pino } from 'pino';
import { migrateAll } from '../../lib/database/index.js';
import { DEV_FINGERPRINT_KEY, loadPaymentServiceConfig } from './payment-config.js';
import { startPaymentService } from './payment-service.js';

/** `tsx services/payment/main.ts`: migrates the Payment database and serves the Payment API and commands until SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const config = loadPaymentServiceConfig();
  const logger = pino({ name: 'payment', level: config.logLevel });
  if (config.fingerprintKey === DEV_FINGERPRINT_KEY) logger.warn('PAYMENT_FINGERPRINT_KEY is not set; using the development key');
  await migrateAll({ config: config.database, services: ['payment'], logger });
  const service = await startPaymentService({ ...config, logger });
  const url = `http://${config.host}:${service.port}`;
  logger.info({ url, cards: `${url}/cards`, payments: `${url}/payments?orderId=` }, 'Payment service listening');
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'Payment service stopping');
    service.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'Payment service did not stop cleanly');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Payment service failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
