/**
 * The happy path under load: every order is paid with a card that charges, stock is plenty, and the
 * saga runs to COMPLETED. Measures orders completed per second, place-to-completed latency, and the
 * CPU and memory of every process while the orders run.
 */
import type { BenchOptions } from './bench-options.js';
import { withBenchRun, type RunUsage } from './bench-run.js';
import { bucketBySecond, summarize, type Completion, type LatencySummary, type SecondBucket } from './latency-stats.js';
import { BENCH_SKU } from './order-client.js';
import { round } from './usage-report.js';

export const CHARGING_CARD = { number: '4242424242424242', expiry: '12/39' } as const;

export interface HappyPathResult extends RunUsage {
  scenario: 'happy';
  orders: number;
  concurrency: number;
  /** The arrival rate asked for with `--rate`; null when orders were sent as fast as the lanes went. */
  ratePerSecond: number | null;
  customers: number;
  /** Orders placed and done before the measured ones; in no figure. */
  warmupOrders: number;
  completed: number;
  /** Orders completed per second, from the first request sent to the last order completed. */
  ordersPerSecond: number;
  /** Orders placed per second while placing (what `POST /orders` sustained). */
  placedPerSecond: number;
  /** `POST /orders` retried after a 5xx or 429 (same Idempotency-Key). */
  placeRetries: number;
  durationSeconds: number;
  latencyMs: LatencySummary;
  perSecond: SecondBucket[];
  runDirectory: string;
}

export function runHappyPath(options: BenchOptions): Promise<HappyPathResult> {
  return withBenchRun(options, { card: CHARGING_CARD, clockControlled: false }, async ({ system, client, customers, tracker, usageSoFar, placeOrders }) => {
    await client.setStock(BENCH_SKU, options.orders + 1_000);
    // A cancelled order will never complete: counted as done, so the run ends and reports it.
    const load = await placeOrders('completed', () => tracker.settled());
    const usage = await usageSoFar();
    const completedAt = await tracker.completionTimes();
    const completions: Completion[] = [...load.placedAt].flatMap(([orderId, placedAt]) => {
      const at = completedAt.get(orderId);
      return at === undefined ? [] : [{ placedAt, completedAt: at }];
    });
    const durationSeconds = (Math.max(...completions.map((c) => c.completedAt)) - load.startedAt) / 1000;
    const latency = summarize(completions.map((c) => c.completedAt - c.placedAt));
    return {
      scenario: 'happy',
      orders: options.orders,
      concurrency: options.concurrency,
      ratePerSecond: options.ratePerSecond ?? null,
      customers: customers.length,
      warmupOrders: options.warmupOrders,
      completed: completions.length,
      ordersPerSecond: round(completions.length / durationSeconds),
      placedPerSecond: round(load.placedAt.size / ((Math.max(...load.placedAt.values()) - load.startedAt) / 1000)),
      placeRetries: client.placeRetries,
      durationSeconds: round(durationSeconds),
      latencyMs: { p50: round(latency.p50), p95: round(latency.p95), p99: round(latency.p99), max: round(latency.max), mean: round(latency.mean) },
      perSecond: bucketBySecond(completions, load.startedAt),
      ...usage,
      runDirectory: system.runDirectory,
    };
  });
}
