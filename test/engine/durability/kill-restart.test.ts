/**
 * State survives `kill -9` at any moment. The engine runs as its own process
 * (as `npm run engine` does), a real `@camunda8/sdk` worker completes jobs over gRPC, and the
 * engine is killed with SIGKILL while that worker is completing jobs. After a restart on the same
 * data directory every instance must complete exactly once, which the record log shows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startEngineProcess, type EngineProcess } from '../../../bench/engine-process.js';
import { sdkZeebeClient, type ZeebeGrpcClient } from '../../../bench/sdk-client.js';

const PROCESS_ID = 'durability-task-timer-task';
const INSTANCES = 200;
/** The engine dies when the worker's handler has seen this many `reserve` jobs. */
const KILL_AT_RESERVE_JOB = 80;
/** Short, so jobs activated before the crash and never acknowledged come back quickly. */
const JOB_TIMEOUT_MS = 2_000;

const fixture = fileURLToPath(new URL('../fixtures/durability/task-timer-task.bpmn', import.meta.url));

interface Cleanup {
  (): Promise<unknown> | unknown;
}
const cleanups: Cleanup[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function deferred(): { promise: Promise<void>; resolve(): void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Expected ${what} within ${ms} ms, but it did not happen`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function startEngine(dataDir: string, ports?: EngineProcess): Promise<EngineProcess> {
  const engine = await startEngineProcess({ dataDir, grpcPort: ports?.grpcPort, managementPort: ports?.managementPort });
  cleanups.push(() => engine.kill());
  return engine;
}

async function createInstances(zeebe: ZeebeGrpcClient, count: number): Promise<string[]> {
  const keys: string[] = [];
  for (let i = 0; i < count; i += 50) {
    const batch = Array.from({ length: Math.min(50, count - i) }, () => zeebe.createProcessInstance({ bpmnProcessId: PROCESS_ID, variables: {} }));
    keys.push(...(await Promise.all(batch)).map((created) => created.processInstanceKey));
  }
  return keys;
}

/**
 * A worker for both job types that completes every job, notes the instances whose jobs the
 * engine acknowledged completing, and calls `onReserveJob` with the count of `reserve` jobs it has seen.
 */
function startWorker(zeebe: ZeebeGrpcClient, onReserveJob: (seen: number) => void) {
  const shipped = new Set<string>();
  const reserved = new Set<string>();
  let reserveJobsSeen = 0;
  let allShipped = deferred();
  const workers = ['durability-reserve', 'durability-ship'].map((taskType) =>
    zeebe.createWorker({
      taskType,
      timeout: JOB_TIMEOUT_MS,
      pollInterval: 50,
      longPoll: 1_000,
      maxJobsToActivate: 32,
      taskHandler: async (job) => {
        if (taskType === 'durability-reserve') onReserveJob(++reserveJobsSeen);
        try {
          const ack = await job.complete();
          (taskType === 'durability-ship' ? shipped : reserved).add(job.processInstanceKey);
          if (shipped.size === INSTANCES) allShipped.resolve();
          return ack;
        } catch {
          // The engine died before it acknowledged: the job times out and comes back after the restart.
          return job.forward();
        }
      },
    }),
  );
  return {
    shipped,
    reserved,
    allShipped: () => allShipped.promise,
    close: () => Promise.all(workers.map((w) => w.close())),
  };
}

interface RecordRow {
  key: number;
  intent: string;
  valueType: string;
  elementId: string | null;
  elementType: string | null;
  processInstanceKey: number | null;
}

/** The engine's record log, read from its store after it stopped. */
function readRecordLog(dataDir: string): { records: RecordRow[]; openState: Record<string, number> } {
  const db = new Database(path.join(dataDir, 'engine.sqlite'), { readonly: true });
  try {
    const records = db.prepare<[], RecordRow>(`
      SELECT json_extract(record, '$.key') AS key, json_extract(record, '$.intent') AS intent,
             json_extract(record, '$.valueType') AS valueType, json_extract(record, '$.value.elementId') AS elementId,
             json_extract(record, '$.value.bpmnElementType') AS elementType,
             json_extract(record, '$.value.processInstanceKey') AS processInstanceKey
      FROM records WHERE json_extract(record, '$.recordType') = 'EVENT' ORDER BY position`).all();
    const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    const openState = Object.fromEntries(['element_instances', 'jobs', 'timers'].map((table) => [table, count(table)]));
    return { records, openState };
  } finally {
    db.close();
  }
}

/** How often each process instance appears among the given records. */
function occurrencesPerInstance(records: RecordRow[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of records) counts.set(String(r.processInstanceKey), (counts.get(String(r.processInstanceKey)) ?? 0) + 1);
  return counts;
}

describe('durability against kill -9', () => {
  it(
    'When the engine is killed with SIGKILL while a worker completes jobs and restarted on the same data, then every instance completes exactly once',
    async () => {
      // Given: an engine process with its own data directory, a deployed process, and 200 instances.
      const dataDir = mkdtempSync(path.join(os.tmpdir(), 'orderflow-durability-'));
      cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
      const firstRun = await startEngine(dataDir);
      const zeebe = sdkZeebeClient(firstRun.grpcAddress);
      cleanups.push(() => zeebe.close());
      await zeebe.deployResource({ processFilename: fixture });
      const created = await createInstances(zeebe, INSTANCES);

      // When: the engine is killed in the middle of the worker completing `reserve` jobs ...
      const killed = deferred();
      const worker = startWorker(zeebe, (seen) => {
        if (seen === KILL_AT_RESERVE_JOB) firstRun.kill().then(killed.resolve);
      });
      cleanups.push(() => worker.close());
      await within(killed.promise, 20_000, 'the engine to be killed mid-flight');
      const reservedBeforeKill = worker.reserved.size;

      // ... and restarted on the same data directory and address, the worker carrying on.
      const secondRun = await startEngine(dataDir, firstRun);
      await within(worker.allShipped(), 40_000, `the worker to ship all ${INSTANCES} instances after the restart`);
      await worker.close();
      await secondRun.stop();

      // Then: the record log shows each instance completed once, each task and timer once, nothing open.
      const { records, openState } = readRecordLog(dataDir);
      const completedProcesses = records.filter((r) => r.valueType === 'PROCESS_INSTANCE' && r.intent === 'ELEMENT_COMPLETED' && r.elementType === 'PROCESS');
      const completedElement = (id: string) => records.filter((r) => r.valueType === 'PROCESS_INSTANCE' && r.intent === 'ELEMENT_COMPLETED' && r.elementId === id);
      const completedJobs = records.filter((r) => r.valueType === 'JOB' && r.intent === 'COMPLETED');
      const triggeredTimers = records.filter((r) => r.valueType === 'TIMER' && r.intent === 'TRIGGERED');
      const exactlyOnceEach = new Map(created.map((key) => [key, 1]));

      expect(reservedBeforeKill).toBeLessThan(INSTANCES);
      expect(completedProcesses.map((r) => String(r.processInstanceKey)).sort()).toEqual([...created].sort());
      expect(occurrencesPerInstance(completedElement('reserve'))).toEqual(exactlyOnceEach);
      expect(occurrencesPerInstance(triggeredTimers)).toEqual(exactlyOnceEach);
      expect(occurrencesPerInstance(completedElement('ship'))).toEqual(exactlyOnceEach);
      expect(completedJobs).toHaveLength(2 * INSTANCES);
      expect(openState).toEqual({ element_instances: 0, jobs: 0, timers: 0 });
      expect(worker.shipped).toEqual(new Set(created));
    },
    60_000,
  );
});
