import { processLogger } from '../../lib/process/process-logger.js';
import { runServiceProcess } from '../../lib/process/run-service.js';
import { migrateAll } from '../../lib/database/index.js';
import { DEV_FINGERPRINT_KEY, loadPaymentServiceConfig } from './payment-config.js';
import { startPaymentService } from './payment-service.js';
import { devSecretWarning } from '../../lib/http/customer-auth.js';

/** `tsx services/payment/main.ts`: migrates the Payment database and serves the Payment API and commands until SIGINT/SIGTERM. */
async function main() {
  const config = loadPaymentServiceConfig();
  const logger = processLogger({ name: 'payment', level: config.logLevel });
  if (config.fingerprintKey === DEV_FINGERPRINT_KEY) logger.warn('PAYMENT_FINGERPRINT_KEY is not set; using the development key');
  if (config.auth.usingDevSecret) logger.warn(devSecretWarning, 'ORDERFLOW_JWT_SECRET is not set; customer tokens are checked against the public development secret');
  await migrateAll({ config: config.database, services: ['payment'], logger });
  const service = await startPaymentService({ ...config, logger });
  const url = `http://${config.host}:${service.port}`;
  logger.info({ url, cards: `${url}/cards`, payments: `${url}/payments?orderId=` }, 'Payment service listening');
  return { service, logger };
}

runServiceProcess({ displayName: 'Payment service', start: main });
