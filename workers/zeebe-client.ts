/**
 * The `@camunda8/sdk` gRPC client the workers use, configured only through the SDK's own environment
 * variables, so the same code runs against the embedded engine and a real Camunda 8 cluster.
 */
import { Camunda8, type Zeebe } from '@camunda8/sdk';
import type { ICustomHeaders, IInputVariables, JOB_ACTION_ACKNOWLEDGEMENT, ZeebeJob } from '@camunda8/sdk/dist/zeebe/lib/interfaces-1.0.js';

export type ZeebeGrpcClient = Zeebe.ZeebeGrpcClient;
/** A job as the SDK hands it to a handler, with `complete` and `fail`. */
export type ActivatedJob = Readonly<ZeebeJob<IInputVariables, ICustomHeaders>>;
export type JobActionAcknowledgement = JOB_ACTION_ACKNOWLEDGEMENT;
export type { IInputVariables };

/**
 * The embedded defaults: the local engine, no auth, plaintext. Any variable already set wins. The
 * `grpc://` scheme is how the SDK 8.8 says "plaintext" (it calls CAMUNDA_SECURE_CONNECTION=false deprecated
 * and ignores it next to an address with a scheme), so it is not set here.
 */
export const embeddedZeebeDefaults = {
  ZEEBE_GRPC_ADDRESS: 'grpc://127.0.0.1:26500',
  CAMUNDA_AUTH_STRATEGY: 'NONE',
} as const;

/** Fills in the embedded defaults for SDK variables that are unset; the SDK then reads the environment itself. */
export function applyEmbeddedZeebeDefaults(env: NodeJS.ProcessEnv = process.env): void {
  for (const [name, value] of Object.entries(embeddedZeebeDefaults)) {
    if (env[name] === undefined || env[name] === '') env[name] = value;
  }
}

/** A gRPC client from the SDK's environment variables (after {@link applyEmbeddedZeebeDefaults}). */
export function createZeebeClientFromEnvironment(): ZeebeGrpcClient {
  applyEmbeddedZeebeDefaults();
  return new Camunda8().getZeebeGrpcApiClient();
}
