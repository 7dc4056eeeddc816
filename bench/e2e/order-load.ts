/**
 * Places orders with a fixed number in flight and watches them move, until every placed order has
 * reached what the scenario waits for. Progress comes from the projection, read once a second.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Customer, OrderClient } from './order-client.js';
import type { ProgressLine } from './progress-line.js';

/** Thrown when no order moved for the stall timeout: the system is stuck or far too slow. */
export class LoadStalledError extends Error {
  constructor(
    readonly phase: string,
    readonly done: number,
    readonly total: number,
    readonly statuses: Record<string, number>,
  ) {
    super(`Expected ${total} orders to be ${phase}, but only ${done} were and none moved for the stall timeout (statuses: ${JSON.stringify(statuses)})`);
    this.name = 'LoadStalledError';
  }
}

export interface WatchOptions {
  phase: string;
  total: number;
  stallTimeoutSeconds: number;
  progress: ProgressLine;
  /** How many orders have reached the goal, and the status counts to show when they stall. */
  done(): Promise<{ done: number; statuses: Record<string, number> }>;
}

export interface LoadOptions extends WatchOptions {
  client: OrderClient;
  customers: readonly Customer[];
  concurrency: number;
  /** Orders sent per second at most (an arrival rate); as fast as the lanes go when unset. */
  ratePerSecond?: number;
}

export interface LoadResult {
  /** Epoch ms the first request was sent. */
  startedAt: number;
  /** Order id → epoch ms its `POST /orders` returned. */
  placedAt: Map<string, number>;
  /** Epoch ms the last order was seen done (to the second the progress is read at). */
  doneSeenAt: number;
}

const WATCH_INTERVAL_MS = 1_000;

export async function runOrderLoad(options: LoadOptions): Promise<LoadResult> {
  const placedAt = new Map<string, number>();
  const startedAt = Date.now();
  const placing = { done: false, error: undefined as unknown, promise: Promise.resolve() };
  placing.promise = placeAll(options, placedAt, startedAt).then(
    () => void (placing.done = true),
    (error: unknown) => void (placing.error = error),
  );
  const doneSeenAt = await watchOrders(options, { startedAt, placed: () => placedAt.size, placing });
  return { startedAt, placedAt, doneSeenAt };
}

/** Watches until `total` orders are done; resolves with the epoch ms they were seen done. */
export async function watchOrders(
  options: WatchOptions,
  load: { startedAt: number; placed: () => number; placing?: { done: boolean; error: unknown; promise: Promise<void> } } = { startedAt: Date.now(), placed: () => options.total },
): Promise<number> {
  let last = { done: -1, placed: -1, movedAt: Date.now() };
  for (;;) {
    if (load.placing?.error) throw load.placing.error;
    const { done, statuses } = await options.done();
    const now = Date.now();
    const placed = load.placed();
    options.progress.update({ phase: options.phase, placed, done, total: options.total, elapsedSeconds: (now - load.startedAt) / 1000 });
    if ((load.placing?.done ?? true) && done >= options.total) {
      options.progress.finish();
      return now;
    }
    if (done !== last.done || placed !== last.placed) last = { done, placed, movedAt: now };
    else if (now - last.movedAt > options.stallTimeoutSeconds * 1000) {
      options.progress.finish();
      throw new LoadStalledError(options.phase, done, options.total, statuses);
    }
    // While orders are being placed, a placing error ends the wait at once.
    await (load.placing && !load.placing.done ? Promise.race([delay(WATCH_INTERVAL_MS), load.placing.promise]) : delay(WATCH_INTERVAL_MS));
  }
}

/**
 * `concurrency` lanes, each placing its next order as soon as its last one was answered, or, with a
 * rate, when the order's turn in the schedule comes (order i at i ÷ rate seconds).
 */
async function placeAll({ client, customers, total, concurrency, ratePerSecond }: LoadOptions, placedAt: Map<string, number>, startedAt: number): Promise<void> {
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (next < total && !failed) {
      const index = next++;
      if (ratePerSecond) await delay(Math.max(0, startedAt + (index * 1000) / ratePerSecond - Date.now()));
      try {
        const orderId = await client.placeOrder(customers[index % customers.length]!);
        placedAt.set(orderId, Date.now());
      } catch (error) {
        // One refused order ends the run: the figures would not describe the load asked for.
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, lane));
}
