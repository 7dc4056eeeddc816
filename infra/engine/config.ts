/**
 * The engine process's configuration, read once from the environment. Every value has a default
 * that runs the engine embedded on Zeebe's usual ports, with its data under the project.
 */
import path from 'node:path';
import { z } from 'zod';
import { projectPath } from '../../lib/project/project-root.js';

export interface EngineConfig {
  /** Where the engine keeps its store. */
  dataDir: string;
  host: string;
  /** Zeebe's gateway port. */
  grpcPort: number;
  /** Zeebe's management (actuator) port. */
  managementPort: number;
  /** Serves the clock actuator, as Zeebe with `ZEEBE_CLOCK_CONTROLLED=true`. */
  clockControlled: boolean;
  /** When set, gRPC calls must carry `authorization: Bearer <token>`. */
  token: string | undefined;
  logLevel: string;
  /** What the gRPC gateway asks clients to compress their requests with (see {@link GrpcCompression}). */
  grpcCompression: GrpcCompression;
  /** Under load, how long commands gather after a batch before the next one is processed. */
  batchWindowMs: number;
  /** Serves Camunda 8.8's REST API (and keeps its search projection). */
  restEnabled: boolean;
  restPort: number;
  /** Grants every REST operation; main.ts generates one when unset. */
  opsToken: string | undefined;
  /** Grants REST searches and reads only. */
  opsReadToken: string | undefined;
}

/**
 * `identity` (the default) advertises `grpc-accept-encoding: identity`, so grpc-js clients that
 * gzip by default (`@camunda8/sdk`) send uncompressed after their first call: on loopback gzip
 * only costs CPU. `gzip` advertises grpc-js's usual `identity,deflate,gzip`. Either way a
 * compressed request is still accepted, as Zeebe's gateway accepts it.
 */
export const GrpcCompression = { IDENTITY: 'identity', GZIP: 'gzip' } as const;
export type GrpcCompression = (typeof GrpcCompression)[keyof typeof GrpcCompression];

const port = (fallback: number) =>
  z.coerce
    .number({ error: 'Expected a port number' })
    .int('Expected a whole port number')
    .min(0, 'Expected a port from 0 to 65535')
    .max(65535, 'Expected a port from 0 to 65535')
    .default(fallback);

const environmentSchema = z.object({
  ORDERFLOW_ENGINE_DATA_DIR: z.string().min(1).default(projectPath('.data', 'engine')),
  ORDERFLOW_ENGINE_HOST: z.string().min(1).default('127.0.0.1'),
  ORDERFLOW_ENGINE_GRPC_PORT: port(26500),
  ORDERFLOW_ENGINE_MANAGEMENT_PORT: port(9600),
  ZEEBE_CLOCK_CONTROLLED: z
    .stringbool({ error: 'Expected true or false' })
    .default(false),
  ORDERFLOW_ENGINE_TOKEN: z.string().min(1, 'Expected a non-empty token or no variable').optional(),
  ORDERFLOW_ENGINE_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info'),
  ORDERFLOW_ENGINE_REST_ENABLED: z.stringbool({ error: 'Expected true or false' }).default(true),
  ORDERFLOW_ENGINE_REST_PORT: port(8080),
  ORDERFLOW_OPS_TOKEN: z.string().min(1, 'Expected a non-empty token or no variable').optional(),
  ORDERFLOW_OPS_READ_TOKEN: z.string().min(1, 'Expected a non-empty token or no variable').optional(),
  ORDERFLOW_ENGINE_GRPC_COMPRESSION: z
    .enum([GrpcCompression.IDENTITY, GrpcCompression.GZIP])
    .default(GrpcCompression.IDENTITY),
  ORDERFLOW_ENGINE_BATCH_WINDOW_MS: z.coerce
    .number({ error: 'Expected a number of milliseconds' })
    .min(0, 'Expected 0 to 100 milliseconds')
    .max(100, 'Expected 0 to 100 milliseconds')
    .default(2),
});

/** Thrown by {@link readEngineConfig} when an environment variable has an unusable value. */
export class EngineConfigError extends Error {
  override readonly name = 'EngineConfigError';
  constructor(readonly variables: string[], message: string) {
    super(message);
  }
}

/**
 * Reads and validates the engine's environment variables; unset or empty ones take their default.
 * @throws EngineConfigError naming each bad variable, its value and what was expected.
 */
export function readEngineConfig(env: NodeJS.ProcessEnv = process.env): EngineConfig {
  const relevant = Object.fromEntries(
    Object.keys(environmentSchema.shape)
      .map((name) => [name, env[name]] as const)
      .filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = environmentSchema.safeParse(relevant);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      return { name, text: `${name}=${JSON.stringify(relevant[name])}: ${issue.message}` };
    });
    throw new EngineConfigError(
      problems.map((p) => p.name),
      `Invalid engine configuration: ${problems.map((p) => p.text).join('; ')}`,
    );
  }
  const e = result.data;
  return {
    dataDir: path.resolve(e.ORDERFLOW_ENGINE_DATA_DIR),
    host: e.ORDERFLOW_ENGINE_HOST,
    grpcPort: e.ORDERFLOW_ENGINE_GRPC_PORT,
    managementPort: e.ORDERFLOW_ENGINE_MANAGEMENT_PORT,
    clockControlled: e.ZEEBE_CLOCK_CONTROLLED,
    token: e.ORDERFLOW_ENGINE_TOKEN,
    logLevel: e.ORDERFLOW_ENGINE_LOG_LEVEL,
    grpcCompression: e.ORDERFLOW_ENGINE_GRPC_COMPRESSION,
    batchWindowMs: e.ORDERFLOW_ENGINE_BATCH_WINDOW_MS,
    restEnabled: e.ORDERFLOW_ENGINE_REST_ENABLED,
    restPort: e.ORDERFLOW_ENGINE_REST_PORT,
    opsToken: e.ORDERFLOW_OPS_TOKEN,
    opsReadToken: e.ORDERFLOW_OPS_READ_TOKEN,
  };
}
