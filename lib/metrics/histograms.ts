import { Histogram, type Registry } from 'prom-client';

/** Seconds, for work that takes milliseconds: an HTTP request, a job handler, a publish. */
export const durationBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

/**
 * Seconds, for waits between two moments of an order: a job from creation to completion, a message
 * from publication to correlation. A broker or worker outage shows up in the upper buckets.
 */
export const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600] as const;

export interface HistogramDefinition<L extends string> {
  name: string;
  help: string;
  labelNames: readonly L[];
  buckets?: readonly number[];
}

/** A histogram in seconds on `registry`; {@link durationBuckets} unless others are given. */
export function secondsHistogram<L extends string>(registry: Registry, definition: HistogramDefinition<L>): Histogram<L> {
  return new Histogram<L>({
    name: definition.name,
    help: definition.help,
    labelNames: definition.labelNames,
    buckets: [...(definition.buckets ?? durationBuckets)],
    registers: [registry],
  });
}

/** Seconds elapsed since `start`, a `process.hrtime.bigint()` reading. */
export function secondsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}
