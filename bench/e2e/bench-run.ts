/**
 * What every scenario shares: the system started for the run with its customers signed in (each with
 * a card of their own), a reader of the Order projection, the idle system watched, CPU sampled at the
 * start of the load, and the teardown at the end whatever happens (Ctrl-C included).
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCustomerAuthConfig } from '../../lib/http/customer-auth.js';
import { SystemUnderTest, type UsageFigures } from '../../scripts/system/index.js';
import type { BenchOptions } from './bench-options.js';
import { OrderClient, type CardDetails, type Customer } from './order-client.js';
import { runOrderLoad, watchOrders, type LoadOptions, type LoadResult, type WatchOptions } from './order-load.js';
import { OrderTracker } from './order-tracker.js';
import { ProgressLine } from './progress-line.js';
import { measureIdle, round, usageReport, type UsageReport } from './usage-report.js';
import { startVacuumStandIn } from './vacuum-stand-in.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Far above any run: the benchmark measures the saga, not the per-customer rate limit. */
const UNLIMITED_ORDERS_PER_WINDOW = '1000000000';
/** How many customers sign in at once while setting up. */
const SIGN_IN_CONCURRENCY = 16;

export interface RunSetup {
  card: CardDetails;
  clockControlled: boolean;
}

/** How the machine and the system were doing over the measured window. */
export interface RunUsage {
  usage: UsageReport;
  /** CPU seconds per second of each process before any order, over `--idle-seconds`. */
  idleCpuPerSecond: Record<string, number>;
  /** Load average of the machine (1, 5, 15 min) before and after: other users of the machine show here. */
  loadAverage: { before: number[]; after: number[] };
  /** True when the server ran without autovacuum and the bench vacuumed the run's databases in its place. */
  vacuumedByBench: boolean;
}

export interface BenchRun {
  system: SystemUnderTest;
  client: OrderClient;
  customers: Customer[];
  tracker: OrderTracker;
  progress: ProgressLine;
  /** Usage from the start of the load until now. */
  usageSoFar(): Promise<RunUsage>;
  /** Places `--orders` orders `--concurrency` at a time, spread over the customers, until `done` counts them all. */
  placeOrders(phase: string, done: WatchOptions['done']): Promise<LoadResult>;
  /** Watches until `done` counts every order. */
  watch(phase: string, done: WatchOptions['done']): Promise<number>;
}

export async function withBenchRun<T>(options: BenchOptions, setup: RunSetup, body: (run: BenchRun) => Promise<T>): Promise<T> {
  const progress = new ProgressLine();
  progress.note(`Starting the system (engine, four services, workers${setup.clockControlled ? ', controlled clock' : ''}) and signing in ${options.customers} customers…`);
  const system = await startSystem(options, setup);
  // Ctrl-C mid-run still drops the run's databases and virtual host.
  const interrupted = (signal: NodeJS.Signals) => {
    progress.note(`\n${signal} received: stopping the system and dropping its databases…`);
    void system.teardown().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const client = new OrderClient(system.urls, loadCustomerAuthConfig({ ORDERFLOW_JWT_SECRET: system.jwtSecret }), system.opsToken);
    const customers = await signIn(client, options.customers, setup.card);
    progress.note(`System up; logs in ${system.runDirectory}/logs`);
    const tracker = await OrderTracker.connect(system.database);
    const vacuum = await startVacuumStandIn(system.database, (text) => progress.note(text));
    try {
      progress.note(`Watching the idle system for ${options.idleSeconds} s…`);
      const idleCpuPerSecond = await measureIdle(() => system.sampleUsage(), options.idleSeconds);
      const watching = { total: options.orders, stallTimeoutSeconds: options.stallTimeoutSeconds, progress };
      const lanes = { client, customers, concurrency: options.concurrency, ratePerSecond: options.ratePerSecond };
      const warmedUp = await warmUp(options.warmupOrders, tracker, { ...watching, ...lanes });
      const before = await system.sampleUsage();
      const startedAt = Date.now();
      const loadBefore = loadAverage();
      const usageSoFar = async (): Promise<RunUsage> => {
        const after = await system.sampleUsage();
        return { usage: usageReport(before, after, (Date.now() - startedAt) / 1000, options.orders), idleCpuPerSecond, loadAverage: { before: loadBefore, after: loadAverage() }, vacuumedByBench: vacuum.active };
      };
      // Orders of the warm-up are done already: the scenario counts only its own.
      const ownOrders = (done: WatchOptions['done']): WatchOptions['done'] => async () => {
        const progressSoFar = await done();
        return { ...progressSoFar, done: progressSoFar.done - warmedUp };
      };
      const placeOrders = (phase: string, done: WatchOptions['done']) => runOrderLoad({ ...watching, ...lanes, phase, done: ownOrders(done) });
      const watch = (phase: string, done: WatchOptions['done']) => watchOrders({ ...watching, phase, done });
      return await body({ system, client, customers, tracker, progress, usageSoFar, placeOrders, watch });
    } finally {
      await vacuum.stop();
      await tracker.close();
    }
  } finally {
    progress.note('Stopping the system and dropping its databases…');
    await system.teardown();
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  }
}

/**
 * Places `count` orders and waits until each is completed or cancelled, so the measured orders meet
 * compiled code, open connections and warm caches in every process. Resolves with how many are done.
 */
async function warmUp(count: number, tracker: OrderTracker, load: Omit<LoadOptions, 'phase' | 'done'>): Promise<number> {
  if (count === 0) return 0;
  await runOrderLoad({ ...load, total: count, phase: 'warm-up', done: () => tracker.settled() });
  return (await tracker.settled()).done;
}

function startSystem(options: BenchOptions, setup: RunSetup): Promise<SystemUnderTest> {
  const runDirectory = path.join(root, '.data', 'system', `bench-${randomBytes(4).toString('hex')}`);
  const profiled = ['--cpu-prof', `--cpu-prof-dir=${path.join(runDirectory, 'profiles')}`];
  return SystemUnderTest.start({
    runDirectory,
    clockControlled: setup.clockControlled,
    logLevel: options.logLevel,
    env: { ORDER_RATE_LIMIT_PLACE_ORDERS: UNLIMITED_ORDERS_PER_WINDOW },
    nodeArgs: Object.fromEntries(options.profile.map((name) => [name, profiled])),
  });
}

async function signIn(client: OrderClient, count: number, card: CardDetails): Promise<Customer[]> {
  const customers: Customer[] = [];
  for (let first = 0; first < count; first += SIGN_IN_CONCURRENCY) {
    const batch = Array.from({ length: Math.min(SIGN_IN_CONCURRENCY, count - first) }, (_, i) => client.customer(`bench-customer-${first + i}`, card));
    customers.push(...(await Promise.all(batch)));
  }
  return customers;
}

function loadAverage(): number[] {
  return loadavg().map((value) => round(value));
}
