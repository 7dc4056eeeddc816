/**
 * Orders parked for two weeks: every card has expired, so each order waits at the checkout's
 * "Await card update" gateway with a P14D timer. Measures the memory of every process and the
 * engine's data on disk while they wait, then moves the engine clock two weeks ahead and measures how
 * long until every order is cancelled.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { systemProcessNames, type UsageFigures } from '../../scripts/system/index.js';
import type { BenchOptions } from './bench-options.js';
import { withBenchRun, type RunUsage } from './bench-run.js';
import { readEngineCounter } from './engine-metrics-reader.js';
import type { ProgressLine } from './progress-line.js';
import { round } from './usage-report.js';

/** Luhn-valid, expired since January 2020: the charge answers `payment.card-expired`. */
export const EXPIRED_CARD = { number: '4242424242424242', expiry: '01/20' } as const;
/** Two weeks and a minute: past the P14D timer of every parked order. */
const CLOCK_JUMP_MS = 14 * 24 * 3600 * 1000 + 60_000;
const GATEWAY_SERIES = { name: 'zeebe_element_instance_events_total', labels: { action: 'activated', type: 'EVENT_BASED_GATEWAY' } } as const;
const GATEWAY_POLL_MS = 500;
const WAIT_REPORT_MS = 10_000;

export interface ParkedResult extends RunUsage {
  scenario: 'parked';
  orders: number;
  concurrency: number;
  parkedSeconds: number;
  /** `POST /orders` retried after a 5xx or 429 (same Idempotency-Key). */
  placeRetries: number;
  /**
   * While every order waits, `waitedSeconds` after the last one parked: the sum of VmRSS of the
   * engine, the services, the workers (and the benchmark, listed apart). The processes' heaps
   * still hold the garbage of the load when the last order parks; V8 returns it once they idle.
   */
  waiting: WaitingMemory & { waitedSeconds: number };
  /** The same figures the moment the last order parked. */
  justParked: WaitingMemory;
  /** The same figures before the first order was placed: what the parked orders added is the difference. */
  idle: { systemRssBytes: number; engineDataBytes: number };
  /** (RSS while waiting − RSS idle) ÷ orders, for the engine, services and workers together. */
  rssBytesPerParkedOrder: number;
  /** Seconds from the clock jump until the last order was seen CANCELLED (read once a second). */
  cancelledWithinSeconds: number;
  cancelled: number;
  runDirectory: string;
}

interface WaitingMemory {
  systemRssBytes: number;
  benchRssBytes: number;
  rssBytesByProcess: Record<string, number>;
  /** Summed Pss of all PostgreSQL and RabbitMQ processes (shared with other users of the servers). */
  postgresqlBytes: number;
  rabbitmqBytes: number;
  engineDataBytes: number;
  engineDataBytesPerOrder: number;
}

export function runParked(options: BenchOptions): Promise<ParkedResult> {
  return withBenchRun(options, { card: EXPIRED_CARD, clockControlled: true }, async ({ system, client, tracker, progress, usageSoFar, placeOrders, watch }) => {
    const idle = await measureWaiting(await system.sampleUsage(), system.engineDataDirectory, options.orders);
    const load = await placeOrders('parked', async () => ({ done: await tracker.countWithTimelineEntry('customer.notified'), statuses: await tracker.countByStatus() }));
    await waitUntilEveryTimerIsCreated(system.urls.engineManagement, options.orders, options.stallTimeoutSeconds, progress);
    const parkedSeconds = (Date.now() - load.startedAt) / 1000;
    const justParked = await measureWaiting(await system.sampleUsage(), system.engineDataDirectory, options.orders);
    const waiting = await watchWaiting(options, progress, async () => measureWaiting(await system.sampleUsage(), system.engineDataDirectory, options.orders));

    progress.note('Moving the engine clock two weeks ahead…');
    const jumpedAt = Date.now();
    await moveClock(system.urls.engineManagement, CLOCK_JUMP_MS);
    await watch('cancelled', async () => {
      const statuses = await tracker.countByStatus();
      return { done: statuses.CANCELLED ?? 0, statuses };
    });
    const cancelledWithinSeconds = (Date.now() - jumpedAt) / 1000;
    return {
      scenario: 'parked',
      orders: options.orders,
      concurrency: options.concurrency,
      parkedSeconds: round(parkedSeconds),
      placeRetries: client.placeRetries,
      waiting,
      justParked,
      idle: { systemRssBytes: idle.systemRssBytes, engineDataBytes: idle.engineDataBytes },
      rssBytesPerParkedOrder: Math.round((waiting.systemRssBytes - idle.systemRssBytes) / options.orders),
      cancelledWithinSeconds: round(cancelledWithinSeconds),
      cancelled: (await tracker.countByStatus()).CANCELLED ?? 0,
      ...(await usageSoFar()),
      runDirectory: system.runDirectory,
    };
  });
}

/**
 * The timeline's `customer.notified` can be projected a moment before the engine takes the job's
 * completion and enters the gateway, which is when the P14D timer is created. A clock moved before
 * that would leave the late timers two weeks out, so wait for the engine's own count of gateways.
 */
async function waitUntilEveryTimerIsCreated(managementUrl: string, orders: number, timeoutSeconds: number, progress: ProgressLine): Promise<void> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  for (;;) {
    const entered = await readEngineCounter(managementUrl, GATEWAY_SERIES.name, GATEWAY_SERIES.labels);
    if (entered === undefined) throw new Error(`Expected the engine to serve ${GATEWAY_SERIES.name} at ${managementUrl}/metrics, but it does not`);
    if (entered >= orders) return;
    if (Date.now() > deadline) throw new Error(`Expected ${orders} orders to wait at the card-update gateway within ${timeoutSeconds} s, but ${entered} do`);
    progress.update({ phase: 'waiting at gateway', placed: orders, done: entered, total: orders, elapsedSeconds: 0 });
    await delay(GATEWAY_POLL_MS);
  }
}

/** Lets the parked orders wait `options.waitSeconds`, printing the memory as it goes, and measures at the end. */
async function watchWaiting(options: BenchOptions, progress: ProgressLine, measure: () => Promise<WaitingMemory>): Promise<ParkedResult['waiting']> {
  const startedAt = Date.now();
  for (let waited = 0; waited < options.waitSeconds; waited = Math.round((Date.now() - startedAt) / 1000)) {
    await delay(Math.min(WAIT_REPORT_MS, options.waitSeconds * 1000 - (Date.now() - startedAt)));
    const memory = await measure();
    progress.note(`Waiting ${Math.round((Date.now() - startedAt) / 1000)}/${options.waitSeconds} s: ${(memory.systemRssBytes / 2 ** 20).toFixed(0)} MiB for engine, services and workers`);
  }
  return { ...(await measure()), waitedSeconds: round((Date.now() - startedAt) / 1000) };
}

async function measureWaiting(usage: Record<string, UsageFigures>, engineDataDirectory: string, orders: number): Promise<WaitingMemory> {
  const systemProcesses = systemProcessNames as readonly string[];
  const rssBytesByProcess = Object.fromEntries(systemProcesses.map((name) => [name, usage[name]?.memoryBytes ?? 0]));
  const engineDataBytes = await directorySize(engineDataDirectory);
  return {
    systemRssBytes: Object.values(rssBytesByProcess).reduce((sum, bytes) => sum + bytes, 0),
    benchRssBytes: usage.harness?.memoryBytes ?? 0,
    rssBytesByProcess,
    postgresqlBytes: usage.postgresql?.memoryBytes ?? 0,
    rabbitmqBytes: usage.rabbitmq?.memoryBytes ?? 0,
    engineDataBytes,
    engineDataBytesPerOrder: Math.round(engineDataBytes / orders),
  };
}

async function directorySize(directory: string): Promise<number> {
  const entries = await readdir(directory, { withFileTypes: true });
  const sizes = await Promise.all(entries.map((entry) => (entry.isDirectory() ? directorySize(path.join(directory, entry.name)) : stat(path.join(directory, entry.name)).then((s) => s.size))));
  return sizes.reduce((sum, size) => sum + size, 0);
}

/** Zeebe's clock actuator: `POST /actuator/clock/add` with the offset in milliseconds. */
async function moveClock(managementUrl: string, offsetMilli: number): Promise<void> {
  const response = await fetch(`${managementUrl}/actuator/clock/add`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ offsetMilli }) });
  if (!response.ok) throw new Error(`Expected the engine to move its clock, but ${managementUrl}/actuator/clock/add answered ${response.status}: ${await response.text()}`);
}
