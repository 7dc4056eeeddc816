/**
 * Orderflow's processes as the deployment tests see them: each one's entry point and the config loader
 * its main.ts calls. What a process reads is learned from the loader itself, not from a second list.
 */
import { isDeepStrictEqual } from 'node:util';
import { CamundaEnvironmentVariableDictionary } from '@camunda8/sdk/dist/lib/Configuration.js';
import type { DatabaseConfig } from '../../lib/database/index.js';
import type { OpsTokens } from '../../lib/http/ops-auth.js';
import { loadInventoryServiceConfig } from '../../services/inventory/inventory-config.js';
import { loadOrderServiceConfig } from '../../services/order/order-config.js';
import { loadPaymentServiceConfig } from '../../services/payment/payment-config.js';
import { loadShippingServiceConfig } from '../../services/shipping/shipping-config.js';
import { loadWorkersConfig } from '../../workers/workers-config.js';
import { applyEmbeddedZeebeDefaults } from '../../workers/zeebe-client.js';
import type { Environment } from './compose-file.js';

/** What the loaders return, as far as these tests look at it. */
export interface ProcessConfig {
  port?: number;
  host?: string;
  database?: DatabaseConfig;
  messaging?: { url: string };
  /** The Order service's resolved `@camunda8/sdk` settings. */
  zeebe?: Record<string, unknown>;
  /** The services' operator endpoint tokens. */
  opsTokens?: OpsTokens;
}

export interface OrderflowProcess {
  entry: string;
  load: (env: NodeJS.ProcessEnv) => ProcessConfig;
  /** Whether it talks to Zeebe through `@camunda8/sdk`, which reads its own variables from the environment. */
  usesZeebe: boolean;
}

export const orderflowProcesses = {
  order: { entry: 'services/order/main.ts', load: loadOrderServiceConfig, usesZeebe: true },
  payment: { entry: 'services/payment/main.ts', load: loadPaymentServiceConfig, usesZeebe: false },
  inventory: { entry: 'services/inventory/main.ts', load: loadInventoryServiceConfig, usesZeebe: false },
  shipping: { entry: 'services/shipping/main.ts', load: loadShippingServiceConfig, usesZeebe: false },
  workers: { entry: 'workers/main.ts', load: loadWorkersConfig, usesZeebe: true },
} as const satisfies Record<string, OrderflowProcess>;

export type OrderflowProcessName = keyof typeof orderflowProcesses;

const sdkVariables: ReadonlySet<string> = new Set(CamundaEnvironmentVariableDictionary);

/** Values that a string, a number, a boolean flag, an enum or a URL setting each reacts to. */
const probeValues = ['orderflow-probe-0123456789', 'true', '0'] as const;

function outcome(load: OrderflowProcess['load'], env: NodeJS.ProcessEnv): unknown {
  try {
    return { config: load(env) };
  } catch (error) {
    return { rejected: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Whether the process reads `variable`: the SDK reads it, or setting it alone changes what the loader
 * returns (or makes it refuse the value). Loaders differ in how they read (zod schemas, filtered copies of
 * the environment, direct lookups), so the effect is what is observed.
 */
export function readsVariable(orderflowProcess: OrderflowProcess, variable: string): boolean {
  if (orderflowProcess.usesZeebe && sdkVariables.has(variable)) return true;
  const defaults = outcome(orderflowProcess.load, {});
  return probeValues.some((value) => !isDeepStrictEqual(outcome(orderflowProcess.load, { [variable]: value }), defaults));
}

/** The gRPC address the process's Zeebe client dials with this environment, after the embedded defaults. */
export function zeebeAddressOf(config: ProcessConfig, env: Environment): string {
  if (typeof config.zeebe?.ZEEBE_GRPC_ADDRESS === 'string') return config.zeebe.ZEEBE_GRPC_ADDRESS;
  const sdkEnvironment: NodeJS.ProcessEnv = { ...env };
  applyEmbeddedZeebeDefaults(sdkEnvironment);
  return sdkEnvironment.ZEEBE_GRPC_ADDRESS!;
}

/** The auth strategy the process's Zeebe client uses with this environment, after the embedded defaults. */
export function zeebeAuthStrategyOf(config: ProcessConfig, env: Environment): string {
  if (typeof config.zeebe?.CAMUNDA_AUTH_STRATEGY === 'string') return config.zeebe.CAMUNDA_AUTH_STRATEGY;
  const sdkEnvironment: NodeJS.ProcessEnv = { ...env };
  applyEmbeddedZeebeDefaults(sdkEnvironment);
  return sdkEnvironment.CAMUNDA_AUTH_STRATEGY!;
}
