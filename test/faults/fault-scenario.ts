/**
 * Runs one fault scenario on the shared system: a stream of orders on every path with the fault
 * injected mid-stream, then a bounded wait until every order has finished, and the invariants.
 * Whatever happens, the fault is cleaned up; the row for the results table is returned, never thrown.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { SystemUnderTest } from '../../scripts/system/index.js';
import { createInventoryDatabase } from '../../services/inventory/data-access/inventory-database.js';
import { createOrderDatabase, type OrderDatabase } from '../../services/order/data-access/order-database.js';
import type { FaultBench } from './fault-bench.js';
import type { FaultSuiteConfig } from './fault-config.js';
import type { Fault, FaultContext } from './faults/fault.js';
import { checkInvariants, type InvariantResult } from './invariants.js';
import { CATALOG_SKUS, OrderPath, OrderStream, SOLD_OUT_SKU, type PlacedStreamOrder } from './order-stream.js';
import type { ScenarioRow } from './results-table.js';

const TWO_WEEKS_AND_A_MINUTE_MS = (14 * 24 * 60 + 1) * 60_000;
/** Compensations are confirmed by the broker before the order is cancelled, not yet handled: money and stock settle a moment later. */
const INVARIANTS_SETTLE_MS = 30_000;
const POLL_MS = 500;
/** A card wait that began just after a jump needs another; spaced so the engine has time to act on the last. */
const CLOCK_JUMP_SPACING_MS = 3_000;
const TERMINAL = ['COMPLETED', 'CANCELLED'];
/** No order changed status for this long: the card waits get their two weeks even though something else is stuck. */
const STALL_MS = 10_000;

export async function runScenario(bench: FaultBench, scenario: string, fault: Fault, config: FaultSuiteConfig): Promise<ScenarioRow> {
  const startedAt = Date.now();
  const row: ScenarioRow = { scenario, orders: 0, faults: 0, invariants: [], durationMs: 0, settleMs: undefined };
  const { system, engine, broker, client } = bench;
  const context: FaultContext = { system, engine, broker, client, stream: new OrderStream(client) };
  try {
    await client.setStock(SOLD_OUT_SKU, 0);
    await context.stream.prepare(config.ordersPerScenario);
    const initialStock = await readAvailableStock(system);
    await context.stream.run({
      count: config.ordersPerScenario,
      intervalMs: config.orderIntervalMs,
      midStream: () => fault.start(context),
      customerPatienceMs: 3 * config.settleBoundMs,
    });
    await fault.end(context);
    const faultEndedAt = Date.now();
    const deadline = faultEndedAt + config.settleBoundMs;
    // The customers' part counts against the same bound: one still waiting to be asked for a card is an order not moving.
    const giveUp = new AbortController();
    await Promise.race([context.stream.customerActionsDone(), delay(config.settleBoundMs, undefined, { signal: giveUp.signal }).catch(() => undefined)]);
    giveUp.abort();
    const orders = context.stream.placed();
    row.orders = orders.length;
    const finished = await waitUntilFinished(context, orders, deadline);
    row.settleMs = finished ? Date.now() - faultEndedAt : undefined;
    const check = () => checkInvariants({ system, engine, broker, orders, initialStock, ...fault.expectations?.() });
    row.invariants = [...(await invariantsOnceSettled(check)), ...((await fault.verify?.(context, check)) ?? [])];
  } catch (error) {
    row.error = error instanceof Error ? error.message : String(error);
  } finally {
    row.faults = fault.injected();
    await fault.cleanUp?.().catch((error: unknown) => (row.error ??= `clean-up failed: ${(error as Error).message}`));
    row.durationMs = Date.now() - startedAt;
  }
  return row;
}

async function readAvailableStock(system: SystemUnderTest): Promise<Record<string, number>> {
  const db = createInventoryDatabase(system.database);
  try {
    const items = await db.stockItem.findMany({ where: { sku: { in: [...CATALOG_SKUS] } } });
    return Object.fromEntries(items.map((item) => [item.sku, item.available]));
  } finally {
    await db.$disconnect();
  }
}

/**
 * Polls the Order database until every order has finished or the deadline passes. Orders whose
 * customer never updates the expired card wait for the engine's two-week timer: the clock actuator
 * moves time past it once nothing else is left, or once nothing has moved for a while (an order stuck
 * for another reason must not hold the card waits back), and again if a wait began after the last move.
 */
async function waitUntilFinished({ system, engine }: FaultContext, orders: readonly PlacedStreamOrder[], deadline: number): Promise<boolean> {
  const db = createOrderDatabase(system.database);
  let lastJumpAt = 0;
  let signature = '';
  let lastMoveAt = Date.now();
  try {
    for (;;) {
      const unfinished = await unfinishedOrders(db, orders);
      if (unfinished.length === 0) return true;
      if (Date.now() > deadline) return false;
      const now = JSON.stringify(unfinished.map(({ order, status }) => [order.orderId, status]));
      if (now !== signature) [signature, lastMoveAt] = [now, Date.now()];
      const cardWaits = unfinished.filter(({ order, status }) => order.path === OrderPath.EXPIRED_CARD_TIMED_OUT && status === 'AWAITING_CARD_UPDATE');
      const onlyCardWaitsLeft = cardWaits.length === unfinished.length;
      const sinceJump = Date.now() - lastJumpAt;
      const stalled = cardWaits.length > 0 && Date.now() - lastMoveAt > STALL_MS && sinceJump > STALL_MS;
      if ((onlyCardWaitsLeft && sinceJump > CLOCK_JUMP_SPACING_MS) || stalled) {
        await engine.addToClock(TWO_WEEKS_AND_A_MINUTE_MS);
        lastJumpAt = Date.now();
      }
      await delay(POLL_MS);
    }
  } finally {
    await db.$disconnect();
  }
}

async function unfinishedOrders(db: OrderDatabase, orders: readonly PlacedStreamOrder[]): Promise<{ order: PlacedStreamOrder; status: string }[]> {
  // The database may be restarting (a fault): then nothing counts as finished yet.
  const rows = await db.order.findMany({ where: { id: { in: orders.map((order) => order.orderId) } }, select: { id: true, status: true } }).catch(() => []);
  const statuses = new Map(rows.map((row) => [row.id, row.status]));
  return orders.map((order) => ({ order, status: statuses.get(order.orderId) ?? 'unknown' })).filter(({ status }) => !TERMINAL.includes(status));
}

/** Checks the invariants until all hold or the settle bound passes, and returns the last verdicts. */
async function invariantsOnceSettled(check: () => Promise<InvariantResult[]>): Promise<InvariantResult[]> {
  const deadline = Date.now() + INVARIANTS_SETTLE_MS;
  for (;;) {
    const results = await check();
    if (results.every((result) => result.held) || Date.now() > deadline) return results;
    await delay(POLL_MS * 2);
  }
}
