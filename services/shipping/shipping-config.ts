import { z } from 'zod';
import { loadDatabaseConfig, type DatabaseConfig } from '../../lib/database/index.js';
import { loadMessagingConfig, type MessagingConfig } from '../../infra/messaging/index.js';
import { loadOpsTokens, type OpsTokens } from '../../lib/http/ops-auth.js';

const environmentSchema = z.object({
  SHIPPING_PORT: z.coerce.number().int().min(0).max(65535).default(3003),
  SHIPPING_HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** Everything the Shipping service reads from its environment, validated once at start. */
export interface ShippingServiceConfig {
  port: number;
  host: string;
  logLevel: string;
  /** `ORDERFLOW_OPS_TOKEN` and `ORDERFLOW_OPS_READ_TOKEN`: who may call the operator endpoints. */
  opsTokens: OpsTokens;
  database: DatabaseConfig;
  messaging: MessagingConfig;
}

/** @throws Error naming the malformed variables. */
export function loadShippingServiceConfig(env: NodeJS.ProcessEnv = process.env): ShippingServiceConfig {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) throw new Error(`Expected valid Shipping service settings, but ${z.prettifyError(parsed.error)}`);
  return {
    port: parsed.data.SHIPPING_PORT,
    host: parsed.data.SHIPPING_HOST,
    logLevel: parsed.data.LOG_LEVEL,
    opsTokens: loadOpsTokens(env),
    database: loadDatabaseConfig(env),
    messaging: loadMessagingConfig(env),
  };
}
