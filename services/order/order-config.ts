import { z } from 'zod';
import { loadDatabaseConfig, type DatabaseConfig } from '../../lib/database/index.js';
import { loadMessagingConfig, type MessagingConfig } from '../../infra/messaging/index.js';
import { zeebeSettingsFromEnvironment } from './checkout-process/checkout-process-client.js';

const environmentSchema = z.object({
  ORDER_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  ORDER_HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
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
}

/** @throws Error naming the malformed variables. */
export function loadOrderServiceConfig(env: NodeJS.ProcessEnv = process.env): OrderServiceConfig {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) throw new Error(`Expected valid Order service settings, but ${z.prettifyError(parsed.error)}`);
  return {
    port: parsed.data.ORDER_PORT,
    host: parsed.data.ORDER_HOST,
    logLevel: parsed.data.LOG_LEVEL,
    database: loadDatabaseConfig(env),
    messaging: loadMessagingConfig(env),
    zeebe: zeebeSettingsFromEnvironment(env),
  };
}
