/**
 * The client side of the engine benchmark, run as its own process so the engine's CPU is its own:
 * `@camunda8/sdk` workers for the three job types (ActivateJobs polling or job streaming) and a
 * steady load of instances with a bounded number in flight. Started by engine-bench.ts with a
 * JSON task as its argument; progress goes to stderr, the result as one `RESULT {...}` stdout line.
 */
import { performance } from 'node:perf_hooks';
import {
  BenchMode, MEASURING_LINE, RESULT_PREFIX, THREE_TASKS_PROCESS_ID, WAITING_PROCESS_ID,
  type BenchTask, type LoadResult, type WaitingResult,
} from './bench-task.js';
import { sdkZeebeClient, type ZeebeGrpcClient } from './sdk-client.js';

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

/** In-flight instances of the closed-loop warm-up that precedes a paced load. */
const PACED_WARMUP_IN_FLIGHT = 32;

/**
 * Keeps instances coming and records each one's create → completed latency. Closed loop: `inFlight`
 * loops that each create the next instance when theirs completes; the leading `warmupSeconds` are
 * left out of the figures. Paced (`ratePerSecond`): a closed-loop warm-up of `warmupSeconds` that
 * drains before the schedule starts (a cold process behind a fixed rate would carry its start-up
 * backlog into the figures), then instances due at a steady rate for the remaining seconds, each
 * latency counted from when it was due, so a backlog shows rather than slowing the sender (at most
 * `inFlight` are outstanding).
 */
async function driveLoad(zeebe: ZeebeGrpcClient, task: BenchTask): Promise<Omit<LoadResult, 'workerSettings'>> {
  let errors = 0;
  let total = 0;
  const createAndAwait = async (): Promise<number | undefined> => {
    try {
      await zeebe.createProcessInstanceWithResult({ bpmnProcessId: THREE_TASKS_PROCESS_ID, variables: {}, requestTimeout: 30_000 });
    } catch {
      errors++;
      return undefined;
    }
    total++;
    return performance.now();
  };
  const closedLoop = (inFlight: number, until: number, each: (due: number, completed: number) => void) => {
    const loop = async () => {
      while (performance.now() < until) {
        const due = performance.now();
        const completed = await createAndAwait();
        if (completed !== undefined) each(due, completed);
      }
    };
    return Promise.all(Array.from({ length: inFlight }, loop));
  };
  const progressStart = performance.now();
  const progress = setInterval(() => {
    const elapsed = (performance.now() - progressStart) / 1000;
    log(`${task.mode}: ${elapsed.toFixed(0)} s, ${total} instances completed, ${errors} errors`);
  }, 2_000);

  if (task.ratePerSecond) await closedLoop(PACED_WARMUP_IN_FLIGHT, performance.now() + task.warmupSeconds * 1000, () => {});
  const cpuBefore = process.cpuUsage();
  const totalBefore = total;
  const start = performance.now();
  const measureFrom = task.ratePerSecond ? start : start + task.warmupSeconds * 1000;
  const end = task.ratePerSecond ? start + (task.seconds - task.warmupSeconds) * 1000 : start + task.seconds * 1000;
  process.stdout.write(`${MEASURING_LINE}\n`);
  const latencies: number[] = [];
  const windows = new Map<number, number>();
  const record = (due: number, completed: number) => {
    if (completed < measureFrom || (!task.ratePerSecond && completed > end)) return;
    latencies.push(completed - due);
    const window = Math.floor((completed - measureFrom) / 1000);
    windows.set(window, (windows.get(window) ?? 0) + 1);
  };
  if (task.ratePerSecond) {
    await pacedLoad(task.ratePerSecond, task.inFlight, start, end, async (due) => {
      const completed = await createAndAwait();
      if (completed !== undefined) record(due, completed);
    });
  } else {
    await closedLoop(task.inFlight, end, record);
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
    clientCpuMsPerInstance: round((cpu.user + cpu.system) / 1000 / Math.max(total - totalBefore, 1), 100),
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
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
  await zeebe.close();
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench workers failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
