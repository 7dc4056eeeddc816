import { z } from 'zod';
import { loadDatabaseConfig, type DatabaseConfig } from '../../lib/database/index.js';
import { loadMessagingConfig, type MessagingConfig } from '../../infra/messaging/index.js';
import { loadOpsTokens, type OpsTokens } from '../../lib/http/ops-auth.js';
import { DEFAULT_SEED_QUANTITY } from './domain/seed-stock.js';

const environmentSchema = z.object({
  INVENTORY_PORT: z.coerce.number().int().min(0).max(65535).default(3002),
  INVENTORY_HOST: z.string().min(1).default('127.0.0.1'),
  INVENTORY_SEED_QUANTITY: z.coerce.number().int().nonnegative().default(DEFAULT_SEED_QUANTITY),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** Everything the Inventory service reads from its environment, validated once at start. */
export interface InventoryServiceConfig {
  port: number;
  host: string;
  seedQuantity: number;
  logLevel: string;
  /** `ORDERFLOW_OPS_TOKEN` and `ORDERFLOW_OPS_READ_TOKEN`: who may call the operator endpoints. */
  opsTokens: OpsTokens;
  database: DatabaseConfig;
  messaging: MessagingConfig;
}

/** @throws Error naming the malformed variables. */
export function loadInventoryServiceConfig(env: NodeJS.ProcessEnv = process.env): InventoryServiceConfig {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) throw new Error(`Expected valid Inventory service settings, but ${z.prettifyError(parsed.error)}`);
  return {
    port: parsed.data.INVENTORY_PORT,
    host: parsed.data.INVENTORY_HOST,
    seedQuantity: parsed.data.INVENTORY_SEED_QUANTITY,
    logLevel: parsed.data.LOG_LEVEL,
    opsTokens: loadOpsTokens(env),
    database: loadDatabaseConfig(env),
    messaging: loadMessagingConfig(env),
  };
}
