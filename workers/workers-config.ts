/**
 * The workers process's own settings, read once from the environment. The Zeebe connection is not here:
 * the SDK reads its own variables (ZEEBE_GRPC_ADDRESS, CAMUNDA_AUTH_STRATEGY, …; see zeebe-client.ts).
 */
import { z } from 'zod';
import { loadMessagingConfig, type MessagingConfig } from '../infra/messaging/index.js';

const environmentSchema = z.object({
  ORDERFLOW_WORKERS_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ORDERFLOW_WORKERS_JOB_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  ORDERFLOW_MESSAGE_TTL_MS: z.coerce.number().int().nonnegative().default(3_600_000),
  ORDERFLOW_WORKERS_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  ORDERFLOW_WORKERS_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
});

export interface WorkersConfig {
  messaging: MessagingConfig;
  logLevel: string;
  jobTimeoutMs: number;
  messageTimeToLiveMs: number;
  /** Where `GET /metrics` listens; 9464 is Prometheus' usual port for a Node exporter. */
  metricsPort: number;
  metricsHost: string;
}

/** @throws ZodError naming each bad variable. */
export function loadWorkersConfig(env: NodeJS.ProcessEnv = process.env): WorkersConfig {
  const relevant = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = environmentSchema.parse(relevant);
  return {
    messaging: loadMessagingConfig(env),
    logLevel: parsed.ORDERFLOW_WORKERS_LOG_LEVEL,
    jobTimeoutMs: parsed.ORDERFLOW_WORKERS_JOB_TIMEOUT_MS,
    messageTimeToLiveMs: parsed.ORDERFLOW_MESSAGE_TTL_MS,
    metricsPort: parsed.ORDERFLOW_WORKERS_METRICS_PORT,
    metricsHost: parsed.ORDERFLOW_WORKERS_METRICS_HOST,
  };
}
