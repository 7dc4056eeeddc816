/**
 * The engine inside a test, as Temporal's TestWorkflowEnvironment or Camunda Process Test give it:
 * served on ephemeral loopback ports, its store in memory (or a temp dir), its clock pinned so only
 * the test moves time. Workers under test connect to `grpcAddress` with `@camunda8/sdk`.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Camunda8 } from '@camunda8/sdk';
import type { Logger } from 'pino';
import { ControllableClock } from '../core/clock.js';
import type { EmbeddedEngine } from '../embedded-engine.js';
import type { CreatedProcessInstance, DeploymentResult, Variables } from '../engine-api.js';
import { startEngineServer, type EngineServer } from '../engine-server.js';
import { addDuration } from '../feel/timer-schedule.js';
import { InvalidDurationError } from './errors.js';
import { MockJobWorker } from './mock-job-worker.js';
import { DEFAULT_ASSERTION_TIMEOUT_MS, type AssertionSource } from './process-instance-assert.js';
import { RecordLog } from './record-log.js';

export type ZeebeGrpcClient = ReturnType<Camunda8['getZeebeGrpcApiClient']>;

export interface TestEngineOptions {
  /** Keep the store in a temp directory (removed on close) instead of in memory. */
  persistent?: boolean;
  /** Where the clock is pinned at start; the current system time unless given. */
  startTime?: number | Date;
  /** Default wait of every assertion; 10 s unless given. */
  assertionTimeoutMs?: number;
  logger?: Logger;
}

export interface TestEngine extends AssertionSource {
  /** `127.0.0.1:<port>` of the gRPC gateway. */
  readonly grpcAddress: string;
  /** `http://127.0.0.1:<port>` of the management API, with Zeebe's clock actuator enabled. */
  readonly managementUrl: string;
  readonly engine: EmbeddedEngine;
  /** The temp directory of a persistent store; undefined when the store is in memory. */
  readonly dataDir: string | undefined;
  /** An `@camunda8/sdk` gRPC client connected to the engine, closed by {@link TestEngine.close}. */
  readonly zeebe: ZeebeGrpcClient;
  /** Deploys BPMN files, named by their file name. */
  deploy(pathOrPaths: string | string[]): Promise<DeploymentResult>;
  /** Creates an instance of the latest version; pass the result to `assertThatProcessInstance`. */
  createInstance(bpmnProcessId: string, variables?: Variables): Promise<CreatedProcessInstance>;
  /** Moves the clock forward by milliseconds or an ISO 8601 duration (`'P14D'`); due timers fire. */
  increaseTime(duration: number | string): Promise<void>;
  /** Pins the clock at an instant; timers due by then fire. */
  setTime(time: number | Date): Promise<void>;
  getCurrentTime(): Date;
  /** A job worker stand-in for `type`; it starts when given a behaviour (`thenComplete()` …). */
  mockJobWorker(type: string): MockJobWorker;
  /** Closes mock workers, the SDK client and the engine; removes a temp store. */
  close(): Promise<void>;
}

/**
 * Starts the engine in this process.
 * @throws when the engine cannot open its store or bind a port.
 */
export async function startTestEngine(options: TestEngineOptions = {}): Promise<TestEngine> {
  const dataDir = options.persistent ? await mkdtemp(join(tmpdir(), 'orderflow-test-engine-')) : undefined;
  const clock = new ControllableClock(() => Date.now());
  clock.pin(toEpochMilli(options.startTime ?? Date.now()));
  const server = await startEngineServer({ dataDir, clock, clockControlled: true, shutdownGraceMs: 1_000, logger: options.logger });
  return new RunningTestEngine(server, options.assertionTimeoutMs ?? DEFAULT_ASSERTION_TIMEOUT_MS, dataDir);
}

class RunningTestEngine implements TestEngine {
  readonly grpcAddress: string;
  readonly managementUrl: string;
  readonly engine: EmbeddedEngine;
  readonly records: RecordLog;
  readonly zeebe: ZeebeGrpcClient;
  private readonly mockWorkers: MockJobWorker[] = [];
  private closing: Promise<void> | undefined;

  constructor(
    private readonly server: EngineServer,
    readonly assertionTimeoutMs: number,
    readonly dataDir: string | undefined,
  ) {
    this.grpcAddress = server.grpcAddress;
    this.managementUrl = `http://${server.host}:${server.managementPort}`;
    this.engine = server.engine;
    this.records = new RecordLog(server.engine);
    this.zeebe = sdkClient(server.grpcAddress);
  }

  async deploy(pathOrPaths: string | string[]): Promise<DeploymentResult> {
    const paths = Array.isArray(pathOrPaths) ? pathOrPaths : [pathOrPaths];
    const resources = await Promise.all(paths.map(async (path) => ({ name: basename(path), content: await readFile(path) })));
    return this.engine.deployResources(resources);
  }

  createInstance(bpmnProcessId: string, variables: Variables = {}): Promise<CreatedProcessInstance> {
    return this.engine.createProcessInstance({ bpmnProcessId, variables });
  }

  async increaseTime(duration: number | string): Promise<void> {
    const now = this.engine.clock.now();
    const later = typeof duration === 'number' ? now + duration : addDuration(now, duration);
    if (later === undefined || !Number.isFinite(later) || later < now) throw new InvalidDurationError(duration);
    this.engine.clock.add(later - now);
    await engineSchedulerTurn();
  }

  async setTime(time: number | Date): Promise<void> {
    this.engine.clock.pin(toEpochMilli(time));
    await engineSchedulerTurn();
  }

  getCurrentTime(): Date {
    return new Date(this.engine.clock.now());
  }

  mockJobWorker(type: string): MockJobWorker {
    const worker = new MockJobWorker(this.engine, type);
    this.mockWorkers.push(worker);
    return worker;
  }

  close(): Promise<void> {
    this.closing ??= this.closeAll();
    return this.closing;
  }

  private async closeAll(): Promise<void> {
    await Promise.all(this.mockWorkers.map((worker) => worker.close()));
    await this.zeebe.close();
    this.records.close();
    await this.server.close();
    if (this.dataDir) await rm(this.dataDir, { recursive: true, force: true });
  }
}

/** `@camunda8/sdk` configured for a local gateway without auth or TLS, as its README describes. */
function sdkClient(grpcAddress: string): ZeebeGrpcClient {
  const camunda = new Camunda8({
    ZEEBE_GRPC_ADDRESS: `grpc://${grpcAddress}`,
    CAMUNDA_AUTH_STRATEGY: 'NONE',
    CAMUNDA_TENANT_ID: '',
    CAMUNDA_LOG_LEVEL: 'none',
    CAMUNDA_TOKEN_DISK_CACHE_DISABLE: true,
    zeebeGrpcSettings: { ZEEBE_CLIENT_LOG_LEVEL: 'NONE' },
  } as ConstructorParameters<typeof Camunda8>[0]);
  return camunda.getZeebeGrpcApiClient();
}

function toEpochMilli(time: number | Date): number {
  return typeof time === 'number' ? time : time.getTime();
}

/**
 * Moving the clock wakes the engine's scheduler on a zero-delay timer; one timer turn later the
 * timers due by then have been processed. Assertions still poll, so this only saves a round.
 */
function engineSchedulerTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
