import { z } from 'zod';
import { loadDatabaseConfig, type DatabaseConfig } from '../../lib/database/index.js';
import { loadMessagingConfig, type MessagingConfig } from '../../infra/messaging/index.js';
import { loadCustomerAuthConfig, type CustomerAuthConfig } from '../../lib/http/customer-auth.js';
import { loadOpsTokens, type OpsTokens } from '../../lib/http/ops-auth.js';

/** Where `npm start` serves the checkout page. */
export const DEFAULT_CORS_ORIGINS = ['http://localhost:3000', 'http://127.0.0.1:3000'] as const;

/** Only for local runs and tests: a deployment sets its own PAYMENT_FINGERPRINT_KEY. */
export const DEV_FINGERPRINT_KEY = 'orderflow-dev-card-fingerprint-key';

const environmentSchema = z.object({
  PAYMENT_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  PAYMENT_HOST: z.string().min(1).default('127.0.0.1'),
  PAYMENT_FINGERPRINT_KEY: z.string().min(16).default(DEV_FINGERPRINT_KEY),
  PAYMENT_CORS_ORIGINS: z
    .string()
    .default(DEFAULT_CORS_ORIGINS.join(','))
    .transform((value) => value.split(',').map((origin) => origin.trim()).filter((origin) => origin.length > 0))
    .pipe(z.array(z.url({ protocol: /^https?$/, message: 'Expected comma-separated origins such as https://shop.example.com' })))
    // A browser's Origin header has no path and no trailing slash.
    .transform((urls) => urls.map((url) => new URL(url).origin)),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** Everything the Payment service reads from its environment, validated once at start. */
export interface PaymentServiceConfig {
  port: number;
  host: string;
  logLevel: string;
  /** `ORDERFLOW_OPS_TOKEN` and `ORDERFLOW_OPS_READ_TOKEN`: who may call the operator endpoints. */
  opsTokens: OpsTokens;
  /** The HMAC key of card fingerprints. */
  fingerprintKey: string;
  /** How customer tokens on `/cards` are verified (`ORDERFLOW_JWT_*`). */
  auth: CustomerAuthConfig;
  /** Origins whose pages may call the card endpoints: the checkout page's. */
  corsOrigins: string[];
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
    opsTokens: loadOpsTokens(env),
    fingerprintKey: parsed.data.PAYMENT_FINGERPRINT_KEY,
    auth: loadCustomerAuthConfig(env),
    corsOrigins: parsed.data.PAYMENT_CORS_ORIGINS,
    database: loadDatabaseConfig(env),
    messaging: loadMessagingConfig(env),
  };
}
