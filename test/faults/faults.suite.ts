/**
 * Fault injection: each scenario streams orders on every checkout path through the whole system,
 * run as separate processes, injects one fault mid-stream, waits (bounded) until every order has
 * finished, and checks the invariants: money, stock, shipments, incidents, queues, dead letters.
 * Scenarios run one at a time on one system, replaced after a scenario that left it damaged (an
 * error, an open incident, a busy queue); the table of results is printed at the end.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { SystemProcess } from '../../scripts/system/index.js';
import { FaultBench } from './fault-bench.js';
import { loadFaultSuiteConfig } from './fault-config.js';
import { runScenario } from './fault-scenario.js';
import { clockJump } from './faults/clock-jump.js';
import { duplicateAndReorder } from './faults/duplicate-and-reorder.js';
import type { Fault } from './faults/fault.js';
import { hangingWorker, stuckOrderWatchEnv } from './faults/hanging-worker.js';
import { killProcess } from './faults/kill-process.js';
import { poisonMessages } from './faults/poison-messages.js';
import { serviceOutage } from './faults/service-outage.js';
import { tampering } from './faults/tampering.js';
import { restartPostgres, restartRabbitMq } from './faults/shared-server-restart.js';
import { Invariant } from './invariants.js';
import { formatResultsTable, formatViolations, type ScenarioRow } from './results-table.js';

const config = loadFaultSuiteConfig();
const rows: ScenarioRow[] = [];
let bench: FaultBench | undefined;

const systemWide = new Set<string>([Invariant.INCIDENTS, Invariant.QUEUES, Invariant.DEAD_LETTERS]);

/** Runs the scenario, keeps its row for the table, and fails the test naming every invariant that broke. */
async function scenario(name: string, fault: Fault): Promise<void> {
  bench ??= await FaultBench.start(config, stuckOrderWatchEnv);
  const row = await runScenario(bench, name, fault, config);
  rows.push(row);
  if (row.error || row.invariants.some((result) => !result.held && systemWide.has(result.invariant))) {
    // What broke may still be broken (a queue, an incident): the next scenario gets a fresh system. A
    // wrong outcome of this stream's own orders does not reach the next stream's, which are checked alone.
    await bench.close().catch(() => undefined);
    bench = undefined;
  }
  expect(row.error, `Expected the scenario to run to its checks, but ${row.error}`).toBeUndefined();
  expect(row.invariants.filter((result) => !result.held), formatViolations([row])).toEqual([]);
}

afterAll(async () => {
  await bench?.close();
  process.stdout.write(`\nFault injection (${config.long ? 'long' : 'short'}: ${config.ordersPerScenario} orders per scenario, settle bound ${config.settleBoundMs / 1000} s)\n${formatResultsTable(rows)}\n`);
  const violations = formatViolations(rows);
  if (violations) process.stdout.write(`\nViolations:\n${violations}\n`);
});

describe('control', () => {
  it('When no fault is injected, then every invariant holds, and money or stock changed behind the saga is named by the checker', () => scenario('no fault; tampered after', tampering()));
});

describe('processes killed mid-stream', () => {
  it('When the engine is killed mid-stream and restarted on its data, then every order still finishes exactly once', () => scenario('SIGKILL engine', killProcess(SystemProcess.ENGINE)));
  it('When the workers process is killed mid-stream and restarted, then every order still finishes exactly once', () => scenario('SIGKILL workers', killProcess(SystemProcess.WORKERS)));
  it('When the Order service is killed mid-stream and restarted, then every order still finishes exactly once', () => scenario('SIGKILL order', killProcess(SystemProcess.ORDER)));
  it('When the Payment service is killed mid-stream and restarted, then every order still finishes exactly once', () => scenario('SIGKILL payment', killProcess(SystemProcess.PAYMENT)));
  it('When the Inventory service is killed mid-stream and restarted, then every order still finishes exactly once', () => scenario('SIGKILL inventory', killProcess(SystemProcess.INVENTORY)));
  it('When the Shipping service is killed mid-stream and restarted, then every order still finishes exactly once', () => scenario('SIGKILL shipping', killProcess(SystemProcess.SHIPPING)));
});

describe('messages misdelivered', () => {
  it('When every message is delivered twice and out of order, then every order still finishes exactly once', () => scenario('duplicates + reordering', duplicateAndReorder()));
  it('When poison messages land in every queue mid-stream, then they are dead-lettered and every order still finishes exactly once', () => scenario('poison messages', poisonMessages()));
});

describe('time and hangs', () => {
  it('When the engine clock jumps two weeks mid-stream, then every order still finishes exactly once', () => scenario('clock +14 days', clockJump()));
  it('When a worker takes shipping jobs and hangs, then the watchdog flags the held orders and another worker finishes them', () => scenario('hanging worker', hangingWorker()));
  it('When Payment is down longer than every retry, then incidents are raised, and once resolved every order finishes charged once', () => scenario('payment outage → incident', serviceOutage('payment')));
});

describe('shared servers restarted', () => {
  it('When RabbitMQ restarts mid-stream, then every order still finishes exactly once', () => scenario('RabbitMQ restart', restartRabbitMq()));
  it('When PostgreSQL restarts mid-stream, then every order still finishes exactly once', () => scenario('PostgreSQL restart', restartPostgres()));
});
