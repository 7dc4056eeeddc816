/**
 * What the client tests share: an engine server on ephemeral loopback ports with an in-memory
 * engine, the BPMN fixtures, and real clients configured for it (no auth, plaintext).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Camunda8 } from '@camunda8/sdk';
import type { EngineRecord } from '../../../infra/engine/core/records.js';
import { startEngineServer, type EngineServerOptions, type EngineServer } from '../../../infra/engine/engine-server.js';

const require = createRequire(import.meta.url);
const zbctlByPlatform: Partial<Record<NodeJS.Platform, string>> = {
  linux: 'zbctl-cli.linux',
  darwin: 'zbctl-cli.darwin',
  win32: 'zbctl-cli.exe',
};

/** The Go zbctl binary the `zbctl` npm package ships for this platform. */
export const zbctlBinary = path.join(
  path.dirname(require.resolve('zbctl/package.json')),
  'bin',
  zbctlByPlatform[process.platform] ?? 'zbctl-cli.linux',
);

export type ZeebeGrpcClient = ReturnType<Camunda8['getZeebeGrpcApiClient']>;

/** Absolute path of a BPMN file under test/engine/fixtures. */
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
}

/** A fresh in-memory engine served on free ports of 127.0.0.1. */
export function startTestEngine(options: EngineServerOptions = {}): Promise<EngineServer> {
  return startEngineServer({ grpcPort: 0, managementPort: 0, shutdownGraceMs: 1_000, ...options });
}

/**
 * `@camunda8/sdk`'s gRPC client for the server, configured as its README says for a local gateway
 * without auth. Retries are off, so a test sees each status code as the gateway sent it.
 */
export function sdkZeebeClient(
  server: EngineServer,
  overrides: Record<string, unknown> = {},
): ZeebeGrpcClient {
  const camunda = new Camunda8({
    ZEEBE_GRPC_ADDRESS: `grpc://${server.grpcAddress}`,
    CAMUNDA_AUTH_STRATEGY: 'NONE',
    CAMUNDA_TENANT_ID: '',
    CAMUNDA_LOG_LEVEL: 'none',
    CAMUNDA_TOKEN_DISK_CACHE_DISABLE: true,
    zeebeGrpcSettings: { ZEEBE_GRPC_CLIENT_RETRY: false, ZEEBE_CLIENT_LOG_LEVEL: 'NONE' },
    ...overrides,
  } as ConstructorParameters<typeof Camunda8>[0]);
  return camunda.getZeebeGrpcApiClient();
}

/** The gRPC status code of a rejected call, so a test can assert on it alone. */
export async function grpcCodeOf(call: Promise<unknown>): Promise<number | undefined> {
  try {
    await call;
  } catch (error) {
    return (error as { code?: number }).code;
  }
  throw new Error('Expected the call to be rejected, but it succeeded');
}

/** A test engine, the SDK's gRPC client for it, and every record the engine appends, in order. */
export interface RecordedEngine {
  server: EngineServer;
  zeebe: ZeebeGrpcClient;
  records: EngineRecord[];
  close(): Promise<void>;
}

export async function startRecordedEngine(): Promise<RecordedEngine> {
  const server = await startTestEngine();
  const zeebe = sdkZeebeClient(server);
  const records: EngineRecord[] = [];
  server.engine.onRecords((batch) => records.push(...batch));
  return { server, zeebe, records, close: async () => { await zeebe.close(); await server.close(); } };
}

/** The gRPC status and details of a rejected call. */
export async function grpcErrorOf(call: Promise<unknown>): Promise<{ code: number; details: string }> {
  const error = (await call.then(() => undefined, (e: unknown) => e)) as { code: number; details: string } | undefined;
  if (!error) throw new Error('Expected the call to be rejected, but it succeeded');
  return error;
}

/** A promise with its resolve exposed, to await what a worker handler sees. */
export function deferred<T>(): { promise: Promise<T>; resolve(value: T): void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
