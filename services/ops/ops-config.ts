/**
 * The ops page's configuration, read once from the environment. The defaults serve the page on
 * 8081 in front of the embedded engine's REST API on 8080; pointing `ORDERFLOW_OPS_API_URL` at a
 * Camunda 8.8 orchestration cluster is the only change needed for a real cluster.
 */
import { z } from 'zod';

/** The Order service as `npm start` runs it. */
export const DEFAULT_ORDER_URL = 'http://127.0.0.1:3000';

const environmentSchema = z.object({
  ORDERFLOW_OPS_PORT: z.coerce.number().int().min(0).max(65535).default(8081),
  ORDERFLOW_OPS_HOST: z.string().min(1).default('127.0.0.1'),
  ORDERFLOW_OPS_API_URL: z
    .url({ protocol: /^https?$/, error: 'Expected an http(s) URL of the orchestration cluster REST API' })
    .default('http://127.0.0.1:8080'),
  ORDERFLOW_OPS_ORDER_URL: z.url({ protocol: /^https?$/, error: 'Expected an http(s) URL of the Order service' }).default(DEFAULT_ORDER_URL),
  ORDERFLOW_OPS_API_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface OpsConfig {
  port: number;
  host: string;
  /** Base URL of the Camunda 8.8 orchestration cluster REST API, without `/v2` and without a trailing slash. */
  apiUrl: string;
  /** Base URL of the Order service, for the page's order panel and stuck-order list. */
  orderUrl: string;
  /** How long the proxy waits for the API before answering 504. */
  apiTimeoutMs: number;
  logLevel: string;
}

/** @throws Error naming each malformed variable. */
export function loadOpsConfig(env: NodeJS.ProcessEnv = process.env): OpsConfig {
  const relevant = Object.fromEntries(Object.keys(environmentSchema.shape).map((name) => [name, env[name]]).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = environmentSchema.safeParse(relevant);
  if (!parsed.success) throw new Error(`Expected valid ops page settings, but ${z.prettifyError(parsed.error)}`);
  return {
    port: parsed.data.ORDERFLOW_OPS_PORT,
    host: parsed.data.ORDERFLOW_OPS_HOST,
    apiUrl: parsed.data.ORDERFLOW_OPS_API_URL.replace(/\/+$/, ''),
    orderUrl: parsed.data.ORDERFLOW_OPS_ORDER_URL.replace(/\/+$/, ''),
    apiTimeoutMs: parsed.data.ORDERFLOW_OPS_API_TIMEOUT_MS,
    logLevel: parsed.data.LOG_LEVEL,
  };
}
