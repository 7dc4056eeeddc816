/** Percentiles and per-second buckets of place-to-completed latencies. */

export interface Completion {
  /** Epoch ms when `POST /orders` returned. */
  placedAt: number;
  /** Epoch ms when the order was projected as COMPLETED. */
  completedAt: number;
}

export interface LatencySummary {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export interface SecondBucket {
  /** Seconds since the first order was sent; the bucket holds completions in [second, second + 1). */
  second: number;
  completed: number;
  p50Ms: number;
  p99Ms: number;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil(fraction * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function summarize(latenciesMs: readonly number[]): LatencySummary {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, value) => sum + value, 0) / Math.max(1, sorted.length);
  return { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), p99: percentile(sorted, 0.99), max: sorted.at(-1) ?? Number.NaN, mean };
}

/** Groups completions by the second (since `startedAt`) they completed in. */
export function bucketBySecond(completions: readonly Completion[], startedAt: number): SecondBucket[] {
  const buckets = new Map<number, number[]>();
  for (const { placedAt, completedAt } of completions) {
    const second = Math.max(0, Math.floor((completedAt - startedAt) / 1000));
    const bucket = buckets.get(second) ?? [];
    bucket.push(completedAt - placedAt);
    buckets.set(second, bucket);
  }
  const last = Math.max(-1, ...buckets.keys());
  return Array.from({ length: last + 1 }, (_, second) => {
    const sorted = (buckets.get(second) ?? []).sort((a, b) => a - b);
    return { second, completed: sorted.length, p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99) };
  });
}
