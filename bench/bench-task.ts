/**
 * What engine-bench.ts and its client process (bench-workers.ts) say to each other: the task given
 * as the client's argument, the lines it prints on stdout, and the result those carry.
 */

/** Printed when the measured part of a load begins, so the engine's CPU can be read from then. */
export const MEASURING_LINE = 'MEASURING';
/** Precedes the JSON result on the client's last stdout line. */
export const RESULT_PREFIX = 'RESULT ';

export const BenchMode = {
  POLLING: 'polling',
  STREAMING: 'streaming',
  WAITING: 'waiting',
} as const;
export type BenchMode = (typeof BenchMode)[keyof typeof BenchMode];

export interface BenchTask {
  grpcAddress: string;
  mode: BenchMode;
  /** Load phases: how long to create instances. */
  seconds: number;
  /** Instances created and not yet completed, at most. */
  inFlight: number;
  /** Load phases: create this many instances per second (open loop) instead of keeping `inFlight` busy. */
  ratePerSecond?: number;
  /** Leading seconds left out of the figures (JIT, connections, SQLite cache); a paced load's are a closed-loop warm-up. */
  warmupSeconds: number;
  /** Waiting phase: how many instances to leave at their timer. */
  instances: number;
}

export interface LoadResult {
  mode: BenchMode;
  inFlight: number;
  /** The rate instances were sent at, when the load was paced rather than closed-loop. */
  ratePerSecond?: number;
  measuredSeconds: number;
  completed: number;
  errors: number;
  instancesPerSecond: number;
  /** Median over the measured one-second windows of the instances completed in each. */
  medianInstancesPerSecondWindow: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** CPU of this client process (SDK workers and instance creation) per instance completed, from the measured part's start. */
  clientCpuMsPerInstance: number;
  workerSettings: Record<string, unknown>;
}

export interface WaitingResult {
  mode: 'waiting';
  created: number;
  errors: number;
  seconds: number;
  instancesPerSecond: number;
}

export const THREE_TASKS_PROCESS_ID = 'bench-three-tasks';
export const WAITING_PROCESS_ID = 'bench-waiting-timer';
