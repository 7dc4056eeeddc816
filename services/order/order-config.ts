import { z } from 'zod';
import { loadDatabaseConfig, type DatabaseConfig } from '../../lib/database/index.js';
import { loadCustomerAuthConfig, type CustomerAuthConfig } from '../../lib/http/customer-auth.js';
import { loadOpsTokens, type OpsTokens } from '../../lib/http/ops-auth.js';
import { loadMessagingConfig, type MessagingConfig } from '../../infra/messaging/index.js';
import { zeebeSettingsFromEnvironment } from './checkout-process/checkout-process-client.js';
import { defaultStuckOrderSettings, type StuckOrderSettings } from './domain/stuck-order-watchdog.js';

/** Where `npm start` serves the Payment service; the checkout page sends card numbers there. */
export const DEFAULT_PAYMENT_PUBLIC_URL = 'http://127.0.0.1:3001';

/** `POST /orders` per customer (or per IP without a valid token) and window, unless configured. */
export const defaultPlaceOrderRateLimit = { limit: 30, windowMs: 60_000 } as const;

const environmentSchema = z.object({
  ORDER_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  ORDER_HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ORDER_STUCK_CHECK_INTERVAL_MS: z.coerce.number().int().positive().default(defaultStuckOrderSettings.intervalMs),
  ORDER_STUCK_THRESHOLD_MS: z.coerce.number().int().positive().default(defaultStuckOrderSettings.thresholdMs),
  ORDER_PAYMENT_PUBLIC_URL: z.url({ protocol: /^https?$/ }).default(DEFAULT_PAYMENT_PUBLIC_URL),
  ORDER_RATE_LIMIT_PLACE_ORDERS: z.coerce.number().int().min(1).default(defaultPlaceOrderRateLimit.limit),
  ORDER_RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).default(defaultPlaceOrderRateLimit.windowMs / 1000),
  ORDERFLOW_DEV_LOGIN: z.enum(['true', 'false']).optional(),
});

/** Everything the Order service reads from its environment, validated once at start. */
export interface OrderServiceConfig {
  port: number;
  host: string;
  logLevel: string;
  database: DatabaseConfig;
  messaging: MessagingConfig;
  /** `@camunda8/sdk` settings (its own variable names). */
  zeebe: Record<string, unknown>;
  stuckOrders: StuckOrderSettings;
  /** The tokens of `/ops/*` (`ORDERFLOW_OPS_TOKEN`, `ORDERFLOW_OPS_READ_TOKEN`), shared with the engine's REST API; unset, those endpoints answer 401. */
  opsTokens: OpsTokens;
  /** How customer tokens are verified (`ORDERFLOW_JWT_*`). */
  auth: CustomerAuthConfig;
  /** Whether `POST /dev/login` signs tokens for any customer id: only ever with the development secret. */
  devLogin: boolean;
  placeOrderRateLimit: { limit: number; windowMs: number };
  /** The Payment service as the shopper's browser reaches it. */
  paymentPublicUrl: string;
}

/**
 * The dev login is on by default exactly when no `ORDERFLOW_JWT_SECRET` is set (the development
 * secret, which is public anyway, is in use). With a real secret it cannot be turned on: asking for
 * it is refused at start rather than silently letting anyone sign tokens.
 * @throws Error naming the malformed variables, or the dev login requested next to a real secret.
 */
export function loadOrderServiceConfig(env: NodeJS.ProcessEnv = process.env): OrderServiceConfig {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) throw new Error(`Expected valid Order service settings, but ${z.prettifyError(parsed.error)}`);
  const auth = loadCustomerAuthConfig(env);
  if (parsed.data.ORDERFLOW_DEV_LOGIN === 'true' && !auth.usingDevSecret) {
    throw new Error('Expected ORDERFLOW_DEV_LOGIN=true only without ORDERFLOW_JWT_SECRET, but both are set: the dev login signs tokens for any customer');
  }
  return {
    port: parsed.data.ORDER_PORT,
    host: parsed.data.ORDER_HOST,
    logLevel: parsed.data.LOG_LEVEL,
    database: loadDatabaseConfig(env),
    messaging: loadMessagingConfig(env),
    zeebe: zeebeSettingsFromEnvironment(env),
    stuckOrders: { intervalMs: parsed.data.ORDER_STUCK_CHECK_INTERVAL_MS, thresholdMs: parsed.data.ORDER_STUCK_THRESHOLD_MS },
    opsTokens: loadOpsTokens(env),
    auth,
    devLogin: auth.usingDevSecret && parsed.data.ORDERFLOW_DEV_LOGIN !== 'false',
    placeOrderRateLimit: { limit: parsed.data.ORDER_RATE_LIMIT_PLACE_ORDERS, windowMs: parsed.data.ORDER_RATE_LIMIT_WINDOW_SECONDS * 1000 },
    paymentPublicUrl: new URL(parsed.data.ORDER_PAYMENT_PUBLIC_URL).origin,
  };
}
