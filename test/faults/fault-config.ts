/** The fault suite's settings, read once from the environment; the defaults are the short run CI can afford. */
import { z } from 'zod';

const environmentSchema = z.object({
  /** `true` runs the long variant: more orders per scenario, a longer settle bound. */
  ORDERFLOW_FAULTS_LONG: z.stringbool().default(false),
  /** Overrides the orders per scenario of either variant. */
  ORDERFLOW_FAULTS_ORDERS: z.coerce.number().int().min(7).max(2_000).optional(),
  /** Log level of the system's processes; their logs are kept under `.data/system/<run>/logs`. */
  ORDERFLOW_FAULTS_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
});

export interface FaultSuiteConfig {
  long: boolean;
  /** Orders each scenario streams through the system. */
  ordersPerScenario: number;
  /** Pause between two orders of the stream, so a fault lands while orders are in every state. */
  orderIntervalMs: number;
  /** The stated bound: every order is COMPLETED or CANCELLED this long after the fault ended. */
  settleBoundMs: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
}

/** @throws Error naming each malformed variable. */
export function loadFaultSuiteConfig(env: NodeJS.ProcessEnv = process.env): FaultSuiteConfig {
  const relevant = Object.fromEntries(Object.entries(env).filter(([name, value]) => name.startsWith('ORDERFLOW_FAULTS_') && value !== ''));
  const parsed = environmentSchema.safeParse(relevant);
  if (!parsed.success) throw new Error(`Expected valid fault suite settings, but ${z.prettifyError(parsed.error)}`);
  const long = parsed.data.ORDERFLOW_FAULTS_LONG;
  return {
    long,
    ordersPerScenario: parsed.data.ORDERFLOW_FAULTS_ORDERS ?? (long ? 60 : 14),
    orderIntervalMs: long ? 150 : 250,
    settleBoundMs: long ? 180_000 : 90_000,
    logLevel: parsed.data.ORDERFLOW_FAULTS_LOG_LEVEL,
  };
}
