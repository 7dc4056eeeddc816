/**
 * The engine as a server: the embedded engine behind Zeebe's gRPC gateway and management port.
 * `main.ts` runs it as a process; the testing kit starts it inside a test on ephemeral ports.
 */
import pino, { type Logger } from 'pino';
import type { GrpcCompression } from './config.js';
import { ControllableClock } from './core/clock.js';
import { openEmbeddedEngine, type EmbeddedEngine, type EmbeddedEngineOptions } from './embedded-engine.js';
import { startGrpcGateway, type GrpcGateway } from './gateway/grpc-gateway.js';
import { attachEngineMetrics } from './metrics/index.js';
import { startRestApi } from './rest/rest-api.js';
import {
  startManagementServer,
  type ManagementServer,
} from './management/management-server.js';

export interface EngineServerOptions {
  /** Where the engine keeps its store; undefined keeps everything in memory. */
  dataDir?: string;
  /** Interface to listen on; 127.0.0.1 unless given. */
  host?: string;
  /** 0 (the default) picks a free port; {@link EngineServer.grpcPort} tells which. */
  grpcPort?: number;
  /** 0 (the default) picks a free port; {@link EngineServer.managementPort} tells which. */
  managementPort?: number;
  /** Serves Zeebe's clock actuator on the management port. */
  clockControlled?: boolean;
  /** When set, gRPC calls must carry `authorization: Bearer <token>`. */
  token?: string;
  /** Which request compression the gateway asks clients for; `identity` unless given. */
  grpcCompression?: GrpcCompression;
  /** The engine's time; system time unless given, so a test can hold or move it. */
  clock?: ControllableClock;
  /** See {@link EmbeddedEngineOptions.batchWindowMs}. */
  batchWindowMs?: number;
  logger?: Logger;
  /** How long close() lets gRPC calls in flight finish before cancelling them. */
  shutdownGraceMs?: number;
  /** Camunda 8.8's REST API (`/v2`) is served only with an ops token; 0 (the default) picks a free port. */
  restPort?: number;
  /** Grants every REST operation; without it there is no REST API (and no search projection). */
  opsToken?: string;
  /** Grants REST searches and reads only. */
  opsReadToken?: string;
}

export interface EngineServer {
  readonly engine: EmbeddedEngine;
  readonly host: string;
  readonly grpcPort: number;
  readonly managementPort: number;
  /** `host:port` as zbctl and zeebe-node take it. */
  readonly grpcAddress: string;
  /** The REST API's port; undefined when it is not served (no ops token). */
  readonly restPort: number | undefined;
  /** Stops serving, then closes the engine; safe to call more than once. */
  close(): Promise<void>;
}

/**
 * Opens the engine and starts serving it; on failure, whatever was started is stopped again.
 * @throws when the engine cannot open its store or a port cannot be bound.
 */
export async function startEngineServer(options: EngineServerOptions = {}): Promise<EngineServer> {
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger ?? pino({ level: 'silent' });
  const clock = options.clock ?? new ControllableClock(() => Date.now());
  const engine = await openEmbeddedEngine({ dataDir: options.dataDir, clock, logger, batchWindowMs: options.batchWindowMs });
  let open = true;
  const stops: (() => Promise<void>)[] = [() => engine.close()];
  const metrics = attachEngineMetrics(engine);
  stops.push(async () => metrics.detach());
  try {
    const management = await startManagementServer({
      host,
      port: options.managementPort ?? 0,
      clock: engine.clock,
      isReady: () => open,
      clockControlled: options.clockControlled ?? false,
      logger,
      metrics: metrics.registry,
    });
    stops.push(() => management.close());
    const gateway = await startGrpcGateway({
      engine,
      host,
      port: options.grpcPort ?? 0,
      logger,
      bearerToken: options.token,
      compression: options.grpcCompression,
    });
    stops.unshift(() => gateway.close(options.shutdownGraceMs));
    const rest = options.opsToken === undefined ? undefined : await startRestApi({
      engine, dataDir: options.dataDir, host, port: options.restPort ?? 0, grpcPort: gateway.port, logger,
      tokens: { opsToken: options.opsToken, readToken: options.opsReadToken }, clockControlled: options.clockControlled ?? false,
    });
    if (rest) stops.unshift(() => rest.close());
    return serverHandle({
      restPort: rest?.port,
      engine,
      host,
      gateway,
      management,
      stops,
      logger,
      markClosed: () => (open = false),
    });
  } catch (error) {
    await stopAll(stops, logger);
    throw error;
  }
}

interface ServerParts {
  engine: EmbeddedEngine;
  host: string;
  gateway: GrpcGateway;
  management: ManagementServer;
  restPort: number | undefined;
  /** In shutdown order: the gateway first, so no command reaches a closing engine. */
  stops: (() => Promise<void>)[];
  logger: Logger;
  markClosed(): void;
}

function serverHandle(parts: ServerParts): EngineServer {
  let closing: Promise<void> | undefined;
  return {
    engine: parts.engine,
    host: parts.host,
    grpcPort: parts.gateway.port,
    managementPort: parts.management.port,
    grpcAddress: `${parts.host}:${parts.gateway.port}`,
    restPort: parts.restPort,
    close() {
      parts.markClosed();
      closing ??= stopAll(parts.stops, parts.logger);
      return closing;
    },
  };
}

/** Runs every stop even when one fails, then reports the first failure. */
async function stopAll(stops: (() => Promise<void>)[], logger?: Logger): Promise<void> {
  let firstError: unknown;
  for (const stop of stops) {
    try {
      await stop();
    } catch (error) {
      logger?.warn({ err: error }, 'stopping engine server part failed');
      firstError ??= error;
    }
  }
  if (firstError !== undefined) throw firstError;
}
