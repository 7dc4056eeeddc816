/**
 * The whole of Orderflow as separate child processes, as `npm start` runs it, but isolated: free
 * ports, a fresh engine data directory, fresh PostgreSQL databases, a RabbitMQ virtual host of its
 * own. Each process can be stopped, killed and restarted by name; its output goes to a log file under
 * the run's directory; its CPU and memory are sampled from /proc. Teardown drops what the run made.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import amqp from 'amqplib';
import { loadMessagingConfig, type MessagingConfig } from '../../infra/messaging/index.js';
import { loadDatabaseConfig, serviceNames, type DatabaseConfig } from '../../lib/database/index.js';
import { dropDatabases } from '../../lib/database/test-databases.js';
import { messageBridgeSubscriber } from '../../workers/message-bridge.js';
import { ManagedChild } from '../start/child-process.js';
import { type CompiledTree, compiledTree } from '../start/compiled-tree.js';
import { checkPostgres, checkRabbit } from '../start/preflight.js';
import { httpOk, portOpen, waitUntil } from '../start/readiness.js';
import { createBrokerVhost, type BrokerVhost } from './broker-vhost.js';
import { ProcessNotReadyError, SystemHarnessError, UnknownProcessError } from './errors.js';
import { freePorts } from './free-ports.js';
import { UsageSampler, type UsageFigures } from './usage-sampler.js';
import { projectRoot } from '../../lib/project/project-root.js';


export const SystemProcess = {
  ENGINE: 'engine',
  PAYMENT: 'payment',
  INVENTORY: 'inventory',
  SHIPPING: 'shipping',
  ORDER: 'order',
  WORKERS: 'workers',
} as const;
export type SystemProcessName = (typeof SystemProcess)[keyof typeof SystemProcess];
/** In start order. */
export const systemProcessNames: readonly SystemProcessName[] = Object.values(SystemProcess);

const stopOrder: readonly (readonly SystemProcessName[])[] = [[SystemProcess.WORKERS], [SystemProcess.ORDER, SystemProcess.PAYMENT, SystemProcess.INVENTORY, SystemProcess.SHIPPING], [SystemProcess.ENGINE]];

const entries: Record<SystemProcessName, string> = {
  engine: 'infra/engine/main.ts',
  payment: 'services/payment/main.ts',
  inventory: 'services/inventory/main.ts',
  shipping: 'services/shipping/main.ts',
  order: 'services/order/main.ts',
  workers: 'workers/main.ts',
};

/** Variables of the parent that would point a child at shared databases; the run sets its own. */
const sharedDatabaseVariable = /^(ORDERFLOW_DATABASE_URL|ORDERFLOW_[A-Z]+_DATABASE_URL|ORDERFLOW_DATABASE_PREFIX|PGDATABASE|PORT)$/;

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface SystemOptions {
  /** Where logs (and the engine's data) go; `.data/system/<runId>` unless given. */
  runDirectory?: string;
  /** Starts the engine with Zeebe's clock actuator (`ZEEBE_CLOCK_CONTROLLED=true`). */
  clockControlled?: boolean;
  /** Log level of every child; `info` (as `npm start`) unless given. */
  logLevel?: LogLevel;
  /** Added to every child's environment last, so it wins. */
  env?: NodeJS.ProcessEnv;
  /** Added to one process's environment after `env`, e.g. `NODE_OPTIONS` to profile only the engine. */
  processEnv?: Partial<Record<SystemProcessName, NodeJS.ProcessEnv>>;
  /** Node options for one process, e.g. `['--cpu-prof', '--cpu-prof-dir=…']`. */
  nodeArgs?: Partial<Record<SystemProcessName, readonly string[]>>;
  readyTimeoutMs?: number;
  stopGraceMs?: number;
  sampleIntervalMs?: number;
  /** Keeps the engine's data directory at teardown (it can be large after a long run). */
  keepEngineData?: boolean;
}

export interface SystemPorts {
  engineGrpc: number;
  engineManagement: number;
  /** Handed to the engine as `ORDERFLOW_ENGINE_REST_PORT`, so a REST listener never takes a shared port. */
  engineRest: number;
  order: number;
  payment: number;
  inventory: number;
  shipping: number;
}

export interface ProcessExit {
  name: SystemProcessName;
  pid: number | undefined;
  code: number | null;
  signal: NodeJS.Signals | null;
  at: Date;
}

export class SystemUnderTest {
  readonly runId = randomBytes(4).toString('hex');
  readonly runDirectory: string;
  readonly engineDataDirectory: string;
  readonly jwtSecret = randomBytes(32).toString('base64url');
  /** `ORDERFLOW_OPS_TOKEN` of every process: the engine's REST API and the services' operator endpoints, reads and writes. */
  readonly opsToken = randomBytes(24).toString('base64url');
  /** `ORDERFLOW_OPS_READ_TOKEN` of every process: reads only. */
  readonly opsReadToken = randomBytes(24).toString('base64url');
  /** Every exit of every child, expected or not, in the order they happened. */
  readonly exits: ProcessExit[] = [];
  readonly usage: UsageSampler;
  ports!: SystemPorts;
  messaging!: MessagingConfig;
  private databaseConfig: DatabaseConfig | undefined;
  private vhost: BrokerVhost | undefined;
  private readonly children = new Map<SystemProcessName, ManagedChild>();
  /** Every process runs the same compiled sources, built (or found) once per system. */
  private compiled: Promise<CompiledTree> | undefined;
  private readonly readyTimeoutMs: number;
  private readonly stopGraceMs: number;
  private tearingDown: Promise<void> | undefined;
  private readonly killOnExit = () => this.children.forEach((child) => child.kill());

  private constructor(private readonly options: SystemOptions) {
    this.runDirectory = path.resolve(options.runDirectory ?? path.join(projectRoot, '.data', 'system', this.runId));
    this.engineDataDirectory = path.join(this.runDirectory, 'engine-data');
    this.readyTimeoutMs = options.readyTimeoutMs ?? 120_000;
    this.stopGraceMs = options.stopGraceMs ?? 10_000;
    this.usage = new UsageSampler(options.sampleIntervalMs ?? 1_000);
  }

  /**
   * Checks PostgreSQL and RabbitMQ, makes the run's databases and virtual host, starts every process
   * and waits until each serves. On failure, tears down what it made before rethrowing.
   * @throws SystemHarnessError when a dependency is missing; ProcessNotReadyError when a process does not come up.
   */
  static async start(options: SystemOptions = {}): Promise<SystemUnderTest> {
    const system = new SystemUnderTest(options);
    try {
      await system.prepare();
      await system.startProcess(SystemProcess.ENGINE);
      // The services and the workers start together: each waits for what it needs by itself.
      await Promise.all(systemProcessNames.filter((name) => name !== SystemProcess.ENGINE).map((name) => system.startProcess(name)));
    } catch (error) {
      await system.teardown().catch(() => undefined);
      throw error;
    }
    return system;
  }

  get database(): DatabaseConfig {
    if (!this.databaseConfig) throw new SystemHarnessError('NOT_STARTED', 'Expected the system to be started, but it is not');
    return this.databaseConfig;
  }

  get urls(): Record<'order' | 'payment' | 'inventory' | 'shipping' | 'engineManagement', string> {
    const at = (port: number) => `http://127.0.0.1:${port}`;
    return { order: at(this.ports.order), payment: at(this.ports.payment), inventory: at(this.ports.inventory), shipping: at(this.ports.shipping), engineManagement: at(this.ports.engineManagement) };
  }

  get engineGrpcAddress(): string {
    return `127.0.0.1:${this.ports.engineGrpc}`;
  }

  pid(name: SystemProcessName): number | undefined {
    const child = this.child(name);
    return child.hasExited ? undefined : child.pid;
  }

  isRunning(name: SystemProcessName): boolean {
    return this.children.has(name) && !this.child(name).hasExited;
  }

  logFile(name: SystemProcessName): string {
    return path.join(this.runDirectory, 'logs', `${name}.log`);
  }

  /** Starts one process (again, after a stop or kill) and waits until it serves. */
  async startProcess(name: SystemProcessName): Promise<void> {
    if (this.isRunning(name)) return;
    const compiled = await (this.compiled ??= compiledTree());
    // Appended to, so a restarted process's log follows its earlier one's.
    const logFd = openSync(this.logFile(name), 'a');
    let child: ManagedChild;
    try {
      child = new ManagedChild({ name, entry: compiled.entry(entries[name]), cwd: projectRoot, env: { ...this.environment(), ...this.options.processEnv?.[name] }, logFd, nodeArgs: this.options.nodeArgs?.[name] }, 9);
    } finally {
      // The child holds its own copy of the descriptor.
      closeSync(logFd);
    }
    this.children.set(name, child);
    const pid = child.pid;
    void child.whenExited().then(({ code, signal }) => this.exits.push({ name, pid, code, signal, at: new Date() }));
    try {
      await waitUntil(`the ${name} process`, () => this.isReady(name), this.readyTimeoutMs, child.whenExited());
    } catch (error) {
      throw new ProcessNotReadyError(name, this.logFile(name), error);
    }
  }

  /** SIGKILL to the process, as a crash would end it; resolves once it is gone. */
  async kill(name: SystemProcessName): Promise<void> {
    const child = this.child(name);
    child.kill();
    await child.whenExited();
  }

  /** SIGTERM, then SIGKILL after the grace period. Resolves with whether it stopped by itself. */
  stop(name: SystemProcessName): Promise<boolean> {
    return this.child(name).stop(this.stopGraceMs);
  }

  /** Stops (`SIGTERM`) or kills (`SIGKILL`) the process, starts it again on the same data, and waits until it serves. */
  async restart(name: SystemProcessName, how: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    if (how === 'SIGKILL') await this.kill(name);
    else await this.stop(name);
    await this.startProcess(name);
  }

  /** Samples now: CPU seconds and memory of every child, of the calling process, and of PostgreSQL and RabbitMQ as wholes. */
  sampleUsage(): Promise<Record<string, UsageFigures>> {
    return this.usage.sample();
  }

  /** Stops every process (workers first, engine last), drops the databases, deletes the virtual host. Logs stay. Safe to call more than once. */
  teardown(): Promise<void> {
    this.tearingDown ??= this.tearDownOnce();
    return this.tearingDown;
  }

  private async tearDownOnce(): Promise<void> {
    const problems: unknown[] = [];
    // Workers first, then the services together, the engine last: nothing loses what it talks to mid-work.
    for (const group of stopOrder) {
      await Promise.all(group.filter((name) => this.isRunning(name)).map((name) => this.stop(name).catch((error: unknown) => problems.push(error))));
    }
    await this.usage.stop();
    process.off('exit', this.killOnExit);
    if (this.databaseConfig) await dropDatabases(this.databaseConfig, serviceNames).catch((error: unknown) => problems.push(error));
    await this.vhost?.delete().catch((error: unknown) => problems.push(error));
    if (!this.options.keepEngineData) await rm(this.engineDataDirectory, { recursive: true, force: true });
    if (problems.length > 0) throw new SystemHarnessError('TEARDOWN_INCOMPLETE', `Expected a clean teardown, but ${problems.length} step(s) failed, first: ${String((problems[0] as Error)?.message ?? problems[0])}`, { runDirectory: this.runDirectory }, { cause: problems[0] });
  }

  private async prepare(): Promise<void> {
    const base = loadMessagingConfig();
    const problems = (await Promise.all([checkPostgres(loadDatabaseConfig()), checkRabbit(base.url)])).filter((problem) => problem !== undefined);
    if (problems.length > 0) {
      throw new SystemHarnessError('DEPENDENCY_MISSING', `Expected PostgreSQL and RabbitMQ to answer, but ${problems.map((p) => `${p.what} did not (${p.detail}); start it with: ${p.howToStart}`).join('; ')}`);
    }
    mkdirSync(path.join(this.runDirectory, 'logs'), { recursive: true });
    mkdirSync(this.engineDataDirectory, { recursive: true });
    process.on('exit', this.killOnExit);
    const [engineGrpc, engineManagement, engineRest, order, payment, inventory, shipping] = await freePorts(7);
    this.ports = { engineGrpc: engineGrpc!, engineManagement: engineManagement!, engineRest: engineRest!, order: order!, payment: payment!, inventory: inventory!, shipping: shipping! };
    this.vhost = await createBrokerVhost(base.url, `orderflow-system-${this.runId}`);
    this.messaging = { url: this.vhost.url, prefix: 'orderflow' };
    // Each service creates and migrates its own database at start, as in production; the run only names them.
    this.databaseConfig = { ...loadDatabaseConfig(), databasePrefix: `orderflow_system_${this.runId}`, overrides: {} };
    for (const name of systemProcessNames) this.usage.trackProcess(name, () => this.children.get(name)?.pid);
    this.usage.trackProcess('harness', () => process.pid);
    this.usage.trackGroup('postgresql', ['postgres']);
    this.usage.trackGroup('rabbitmq', ['beam.smp']);
    this.usage.start();
  }

  private environment(): NodeJS.ProcessEnv {
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !sharedDatabaseVariable.test(name)));
    const database = this.database;
    const logLevel = this.options.logLevel ?? 'info';
    const env: NodeJS.ProcessEnv = {
      ...inherited,
      PGHOST: database.host,
      PGPORT: String(database.port),
      PGUSER: database.user,
      ORDERFLOW_DATABASE_PREFIX: database.databasePrefix,
      RABBITMQ_URL: this.messaging.url,
      ORDERFLOW_MESSAGING_PREFIX: this.messaging.prefix,
      ORDERFLOW_ENGINE_DATA_DIR: this.engineDataDirectory,
      ORDERFLOW_ENGINE_HOST: '127.0.0.1',
      ORDERFLOW_ENGINE_GRPC_PORT: String(this.ports.engineGrpc),
      ORDERFLOW_ENGINE_MANAGEMENT_PORT: String(this.ports.engineManagement),
      ORDERFLOW_ENGINE_REST_PORT: String(this.ports.engineRest),
      ZEEBE_CLOCK_CONTROLLED: String(this.options.clockControlled ?? false),
      ZEEBE_GRPC_ADDRESS: `grpc://${this.engineGrpcAddress}`,
      CAMUNDA_AUTH_STRATEGY: 'NONE',
      ORDER_PORT: String(this.ports.order),
      PAYMENT_PORT: String(this.ports.payment),
      INVENTORY_PORT: String(this.ports.inventory),
      SHIPPING_PORT: String(this.ports.shipping),
      ORDERFLOW_JWT_SECRET: this.jwtSecret,
      ORDERFLOW_OPS_TOKEN: this.opsToken,
      ORDERFLOW_OPS_READ_TOKEN: this.opsReadToken,
      LOG_LEVEL: logLevel,
      ORDERFLOW_ENGINE_LOG_LEVEL: logLevel,
      ORDERFLOW_WORKERS_LOG_LEVEL: logLevel,
      ...this.options.env,
    };
    if (database.password === undefined) delete env.PGPASSWORD;
    else env.PGPASSWORD = database.password;
    return env;
  }

  private isReady(name: SystemProcessName): Promise<boolean> {
    switch (name) {
      case SystemProcess.ENGINE:
        return httpOk(`${this.urls.engineManagement}/ready`);
      case SystemProcess.WORKERS:
        return this.bridgeIsConsuming();
      default:
        return portOpen('127.0.0.1', this.ports[name]);
    }
  }

  /** The workers process subscribes the message bridge last: a consumer on its queue means it is up. */
  private async bridgeIsConsuming(): Promise<boolean> {
    const connection = await amqp.connect(this.messaging.url);
    try {
      const channel = await connection.createChannel();
      // A missing queue closes the channel with 404: not ready yet.
      channel.on('error', () => undefined);
      const queue = await channel.checkQueue(`${this.messaging.prefix}.${messageBridgeSubscriber}.events`);
      return queue.consumerCount > 0;
    } finally {
      await connection.close().catch(() => undefined);
    }
  }

  private child(name: SystemProcessName): ManagedChild {
    const child = this.children.get(name);
    if (!child) throw new UnknownProcessError(name, [...this.children.keys()]);
    return child;
  }
}
