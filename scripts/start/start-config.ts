/** What `npm start` reads from the environment: the ports it hands its children and its own bounds. */
import { z } from 'zod';
import { readEngineConfig, type EngineConfig } from '../../infra/engine/config.js';
import { loadMessagingConfig, type MessagingConfig } from '../../infra/messaging/index.js';
import { loadDatabaseConfig, type DatabaseConfig } from '../../lib/database/index.js';
import { loadOpsConfig, type OpsConfig } from '../../services/ops/ops-config.js';
import { loadWorkersConfig, type WorkersConfig } from '../../workers/workers-config.js';

export const startableServices = ['order', 'payment', 'inventory', 'shipping'] as const;
export type StartableService = (typeof startableServices)[number];

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

const host = z.string().min(1).default('127.0.0.1');

const environmentSchema = z.object({
  ORDER_PORT: port(3000),
  PAYMENT_PORT: port(3001),
  INVENTORY_PORT: port(3002),
  SHIPPING_PORT: port(3003),
  ORDER_HOST: host,
  PAYMENT_HOST: host,
  INVENTORY_HOST: host,
  SHIPPING_HOST: host,
  /** Comma-separated subset of the services to start; all of them unless set. */
  ORDERFLOW_START_SERVICES: z.string().optional(),
  ORDERFLOW_START_READY_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
  ORDERFLOW_START_STOP_GRACE_MS: z.coerce.number().int().positive().default(10_000),
});

export interface StartConfig {
  engine: EngineConfig;
  database: DatabaseConfig;
  messaging: MessagingConfig;
  servicePorts: Record<StartableService, number>;
  serviceHosts: Record<StartableService, string>;
  workers: WorkersConfig;
  services: readonly StartableService[];
  ops: OpsConfig;
  readyTimeoutMs: number;
  stopGraceMs: number;
}

/** @throws Error naming each malformed variable. */
export function loadStartConfig(env: NodeJS.ProcessEnv = process.env): StartConfig {
  const relevant = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = environmentSchema.safeParse(relevant);
  if (!parsed.success) throw new Error(`Expected valid start settings, but ${z.prettifyError(parsed.error)}`);
  const e = parsed.data;
  const requested = e.ORDERFLOW_START_SERVICES?.split(',').map((name) => name.trim()).filter(Boolean) ?? [...startableServices];
  const unknown = requested.filter((name) => !(startableServices as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`Expected ORDERFLOW_START_SERVICES to name only ${startableServices.join(', ')}, but got ${unknown.join(', ')}`);
  return {
    engine: readEngineConfig(env),
    database: loadDatabaseConfig(env),
    messaging: loadMessagingConfig(env),
    servicePorts: { order: e.ORDER_PORT, payment: e.PAYMENT_PORT, inventory: e.INVENTORY_PORT, shipping: e.SHIPPING_PORT },
    serviceHosts: { order: e.ORDER_HOST, payment: e.PAYMENT_HOST, inventory: e.INVENTORY_HOST, shipping: e.SHIPPING_HOST },
    workers: loadWorkersConfig(env),
    services: requested as StartableService[],
    ops: loadOpsConfig(env),
    readyTimeoutMs: e.ORDERFLOW_START_READY_TIMEOUT_MS,
    stopGraceMs: e.ORDERFLOW_START_STOP_GRACE_MS,
  };
}

/**
 * What the shopper's browser needs when the ports move: the checkout page names the Payment service
 * on its port (`ORDER_PAYMENT_PUBLIC_URL`), and Payment lets the page's origin, on the Order port,
 * call it (`PAYMENT_CORS_ORIGINS`). Either variable, when set, is left as it is.
 */
export function checkoutBrowserEnvironment(config: StartConfig, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const { order, payment } = config.servicePorts;
  return {
    ORDER_PAYMENT_PUBLIC_URL: env.ORDER_PAYMENT_PUBLIC_URL || `http://127.0.0.1:${payment}`,
    PAYMENT_CORS_ORIGINS: env.PAYMENT_CORS_ORIGINS || `http://localhost:${order},http://127.0.0.1:${order}`,
  };
}
