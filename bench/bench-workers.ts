/**
 * The client side of the engine benchmark, run as its own process so the engine's CPU is its own:
 * `@camunda8/sdk` workers for the three job types (ActivateJobs polling or job streaming) and a
 * steady load of instances with a bounded number in flight. Started by engine-bench.ts with a
 * JSON task as its argument; progress goes to stderr, the result as one `RESULT {...}` stdout line.
 */
import { performance } from 'node:perf_hooks';
import { sdkZeebeClient, type ZeebeGrpcClient } from './sdk-client.js';

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
  /** Leading seconds left out of the figures (JIT, connections, SQLite cache). */
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
  /** CPU of this client process (SDK workers and instance creation) per instance completed, over the whole run. */
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
const JOB_TYPES = ['bench-task-1', 'bench-task-2', 'bench-task-3'];
/** A tuned polling worker: poll again 10 ms after a batch (the SDK default is 100 ms). */
const POLLING_SETTINGS = { pollIntervalMs: 10, longPollMs: 30_000, jobTimeoutMs: 60_000 };
const STREAMING_SETTINGS = { jobTimeoutMs: 60_000, sidecarPollIntervalMs: 30_000 };

interface Closable {
  close(): Promise<unknown> | unknown;
}

function startWorkers(zeebe: ZeebeGrpcClient, mode: BenchMode, inFlight: number): Promise<Closable[]> {
  return Promise.all(JOB_TYPES.map(async (type): Promise<Closable> => {
    if (mode === BenchMode.STREAMING) {
      return zeebe.streamJobs({
        type,
        worker: `bench-${type}`,
        timeout: STREAMING_SETTINGS.jobTimeoutMs,
        tenantIds: [],
        pollInterval: STREAMING_SETTINGS.sidecarPollIntervalMs,
        taskHandler: (job) => job.complete(),
      });
    }
    return zeebe.createWorker({
      taskType: type,
      id: `bench-${type}`,
      maxJobsToActivate: inFlight,
      timeout: POLLING_SETTINGS.jobTimeoutMs,
      pollInterval: POLLING_SETTINGS.pollIntervalMs,
      longPoll: POLLING_SETTINGS.longPollMs,
      taskHandler: (job) => job.complete(),
    });
  }));
}

/**
 * Keeps instances coming and records each one's create → completed latency. Closed loop: `inFlight`
 * loops that each create the next instance when theirs completes. Paced (`ratePerSecond`): instances
 * are due at a steady rate and each latency counts from when it was due, so a backlog shows in the
 * figures rather than slowing the sender (at most `inFlight` are outstanding).
 */
async function driveLoad(zeebe: ZeebeGrpcClient, task: BenchTask): Promise<Omit<LoadResult, 'workerSettings'>> {
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const measureFrom = start + task.warmupSeconds * 1000;
  const end = start + task.seconds * 1000;
  const latencies: number[] = [];
  const windows = new Map<number, number>();
  let errors = 0;
  let total = 0;
  const progress = setInterval(() => {
    const elapsed = (performance.now() - start) / 1000;
    log(`${task.mode}: ${elapsed.toFixed(0)} s, ${total} instances completed, ${errors} errors`);
  }, 2_000);
  const runOne = async (due: number) => {
    try {
      await zeebe.createProcessInstanceWithResult({ bpmnProcessId: THREE_TASKS_PROCESS_ID, variables: {}, requestTimeout: 30_000 });
    } catch {
      errors++;
      return;
    }
    const completed = performance.now();
    total++;
    if (completed < measureFrom || completed > end) return;
    latencies.push(completed - due);
    const window = Math.floor((completed - measureFrom) / 1000);
    windows.set(window, (windows.get(window) ?? 0) + 1);
  };
  if (task.ratePerSecond) {
    await pacedLoad(task.ratePerSecond, task.inFlight, start, end, runOne);
  } else {
    const loop = async () => {
      while (performance.now() < end) await runOne(performance.now());
    };
    await Promise.all(Array.from({ length: task.inFlight }, loop));
  }
  clearInterval(progress);
  const cpu = process.cpuUsage(cpuBefore);
  const measuredSeconds = (end - measureFrom) / 1000;
  const fullWindows = [...windows.entries()].filter(([w]) => w < Math.floor(measuredSeconds)).map(([, n]) => n);
  return {
    mode: task.mode,
    inFlight: task.inFlight,
    ...(task.ratePerSecond ? { ratePerSecond: task.ratePerSecond } : {}),
    measuredSeconds,
    completed: latencies.length,
    errors,
    instancesPerSecond: round(latencies.length / measuredSeconds),
    medianInstancesPerSecondWindow: percentile(fullWindows, 50),
    latencyMs: summarize(latencies),
    clientCpuMsPerInstance: round((cpu.user + cpu.system) / 1000 / Math.max(total, 1), 100),
  };
}

/** Starts `run(due)` for every instance due by now, every millisecond, until `end`; then awaits the outstanding ones. */
async function pacedLoad(ratePerSecond: number, maxOutstanding: number, start: number, end: number, run: (due: number) => Promise<void>): Promise<void> {
  const outstanding = new Set<Promise<void>>();
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const now = performance.now();
      const dueCount = Math.floor(((Math.min(now, end) - start) / 1000) * ratePerSecond);
      while (sent < dueCount && outstanding.size < maxOutstanding) {
        const due = start + (sent * 1000) / ratePerSecond;
        sent++;
        const running = run(due).finally(() => outstanding.delete(running));
        outstanding.add(running);
      }
      if (now >= end) {
        clearInterval(tick);
        resolve();
      }
    }, 1);
  });
  await Promise.all(outstanding);
}

async function createWaitingInstances(zeebe: ZeebeGrpcClient, task: BenchTask): Promise<WaitingResult> {
  const start = performance.now();
  let next = 0;
  let created = 0;
  let errors = 0;
  const progress = setInterval(() => log(`waiting: ${created}/${task.instances} instances created`), 2_000);
  const loop = async () => {
    while (next < task.instances) {
      next++;
      try {
        await zeebe.createProcessInstance({ bpmnProcessId: WAITING_PROCESS_ID, variables: {} });
        created++;
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: task.inFlight }, loop));
  clearInterval(progress);
  const seconds = (performance.now() - start) / 1000;
  return { mode: 'waiting', created, errors, seconds: round(seconds), instancesPerSecond: round(created / seconds) };
}

function summarize(latencies: number[]): LoadResult['latencyMs'] {
  const sorted = [...latencies].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, l) => sum + l, 0) / Math.max(sorted.length, 1);
  return {
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: round(sorted.at(-1) ?? 0),
    mean: round(mean),
  };
}

/** Nearest-rank percentile. */
function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return round(sorted[rank]!);
}

function round(value: number, factor = 10): number {
  return Math.round(value * factor) / factor;
}

function log(message: string): void {
  process.stderr.write(`  [workers] ${message}\n`);
}

async function main(): Promise<void> {
  const task = JSON.parse(process.argv[2] ?? '') as BenchTask;
  const zeebe = sdkZeebeClient(task.grpcAddress);
  let result: LoadResult | WaitingResult;
  if (task.mode === BenchMode.WAITING) {
    result = await createWaitingInstances(zeebe, task);
  } else {
    const workers = await startWorkers(zeebe, task.mode, task.inFlight);
    const load = await driveLoad(zeebe, task);
    await Promise.all(workers.map((w) => w.close()));
    result = { ...load, workerSettings: task.mode === BenchMode.STREAMING ? STREAMING_SETTINGS : POLLING_SETTINGS };
  }
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  await zeebe.close();
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench workers failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
