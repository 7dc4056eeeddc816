import { z } from 'zod';
import { loadDatabaseConfig, type DatabaseConfig } from '../../lib/database/index.js';
import { loadMessagingConfig, type MessagingConfig } from '../../infra/messaging/index.js';

/** Only for local runs and tests: a deployment sets its own PAYMENT_FINGERPRINT_KEY. */
export const DEV_FINGERPRINT_KEY = 'orderflow-dev-card-fingerprint-key';

const environmentSchema = z.object({
  PAYMENT_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  PAYMENT_HOST: z.string().min(1).default('127.0.0.1'),
  PAYMENT_FINGERPRINT_KEY: z.string().min(16).default(DEV_FINGERPRINT_KEY),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** Everything the Payment service reads from its environment, validated once at start. */
export interface PaymentServiceConfig {
  port: number;
  host: string;
  logLevel: string;
  /** The HMAC key of card fingerprints. */
  fingerprintKey: string;
  database: DatabaseConfig;
  messaging: MessagingConfig;
}

/** @throws Error naming the malformed variables. */
export function loadPaymentServiceConfig(env: NodeJS.ProcessEnv = process.env): PaymentServiceConfig {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) throw new Error(`Expected valid Payment service settings, but ${z.prettifyError(parsed.error)}`);
  return {
    port: parsed.data.PAYMENT_PORT,
    host: parsed.data.PAYMENT_HOST,
    logLevel: parsed.data.LOG_LEVEL,
    fingerprintKey: parsed.data.PAYMENT_FINGERPRINT_KEY,
    database: loadDatabaseConfig(env),
    messaging: loadMessagingConfig(env),
  };
}
