/**
 * `npx tsx bench/core-load.ts [--instances N] [--in-flight N] [--batch N] [--parked N] [--memory] [--checkout]`: the engine's
 * processing core and job dispatcher in this one process, without gRPC, driven as the streaming
 * benchmark drives the engine (create with result, three streamed jobs completed as they arrive).
 * `--checkout` runs processes/checkout.bpmn's happy path instead, as the system drives it: each
 * job completed as it arrives and the event its command would bring published as a message.
 * Reports CPU per instance and what the record log holds per instance: cheap enough to run after
 * every change, and to profile with `node --cpu-prof --import tsx bench/core-load.ts`.
 * `--batch` caps the commands per transaction, to see the engine as a gRPC load sees it (the
 * streaming benchmark's batches hold about 18 commands). `--memory` parks instances at the P14D
 * timer instead and reports the RSS slope per waiting instance. `--parked N` first parks N instances
 * at that timer, to see what a store holding many waiting instances costs each new one.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { openEmbeddedEngine } from '../infra/engine/embedded-engine.js';
import { randomUUID } from 'node:crypto';
import type { ActivatedJob } from '../infra/engine/engine-api.js';
import { JobDispatcher } from '../infra/engine/gateway/job-dispatcher.js';
import { projectPath } from '../lib/project/project-root.js';

const benchDir = path.dirname(fileURLToPath(import.meta.url));

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index < 0 ? fallback : Number(process.argv[index + 1]);
}

async function main(): Promise<void> {
  const instances = option('instances', 20_000);
  const inFlight = option('in-flight', 128);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'orderflow-core-load-'));
  const engine = await openEmbeddedEngine({ dataDir, maxBatchSize: option('batch', 256) });
  try {
    await engine.deployResources([
      ...['three-tasks.bpmn', 'waiting-timer.bpmn'].map((name) => path.join(benchDir, 'fixtures', name)),
      projectPath('processes', 'checkout.bpmn'),
    ].map((file) => ({ name: path.basename(file), content: readFileSync(file) })));
    const parked = option('parked', 0);
    if (parked > 0) {
      const started = performance.now();
      await park(engine, parked, inFlight);
      process.stderr.write(`parked ${parked} instances in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    }
    if (process.argv.includes('--memory')) await waiting(engine, instances, inFlight, dataDir);
    else await streaming(engine, process.argv.includes('--checkout') ? checkoutLoad(engine) : threeTasksLoad(engine), instances, inFlight, dataDir);
  } finally {
    await engine.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

type Engine = Awaited<ReturnType<typeof openEmbeddedEngine>>;

/** What the load starts per instance, and what it does with each job type's jobs. */
interface Load {
  bpmnProcessId: string;
  variables: () => Record<string, unknown>;
  jobs: Record<string, (job: ActivatedJob) => void>;
}

function threeTasksLoad(engine: Engine): Load {
  const complete = (job: ActivatedJob) => void engine.completeJob(job.key, {});
  return {
    bpmnProcessId: 'bench-three-tasks',
    variables: () => ({}),
    jobs: { 'bench-task-1': complete, 'bench-task-2': complete, 'bench-task-3': complete },
  };
}

/** The happy path of an order: the variables the Order service starts it with, the events the services answer with. */
function checkoutLoad(engine: Engine): Load {
  const answer = (name: string, variables: Record<string, unknown>) => (job: ActivatedJob) => {
    void engine.completeJob(job.key, {}).then(() => engine.publishMessage({
      name, correlationKey: String(job.variables['orderId']), messageId: randomUUID(), timeToLiveMs: 3_600_000, variables,
    }));
  };
  return {
    bpmnProcessId: 'checkout',
    variables: () => ({
      orderId: randomUUID(), customerId: randomUUID(), cardToken: `tok_${randomUUID()}`,
      items: [{ sku: 'SKU-1', quantity: 2, unitPrice: { amount: 1_250, currency: 'EUR' } }],
      total: { amount: 2_500, currency: 'EUR' },
      shippingAddress: { name: 'Ada Lovelace', street: '1 Main Street', city: 'London', postalCode: 'N1 1AA', country: 'GB' },
    }),
    jobs: {
      'payment.charge': answer('payment.charged', { paymentId: randomUUID(), cardLast4: '4242' }),
      'inventory.reserve': answer('inventory.reserved', {}),
      'shipping.ship': answer('shipping.shipped', { shipmentId: randomUUID(), trackingNumber: 'TRACK-1' }),
      'order.complete': (job) => void engine.completeJob(job.key, {}),
    },
  };
}

async function streaming(engine: Engine, load: Load, instances: number, inFlight: number, dataDir: string): Promise<void> {
  const dispatcher = new JobDispatcher(engine, pino({ level: 'silent' }));
  for (const [type, handle] of Object.entries(load.jobs)) {
    dispatcher.openStream({ type, worker: 'core-load', timeoutMs: 60_000 }, {
      push: (job) => {
        handle(job);
        return true;
      },
      ready: () => true,
      end: () => {},
    });
  }
  let recordCount = 0;
  engine.onRecords((records) => { recordCount += records.length; });
  const run = async (count: number) => {
    let next = 0;
    const loop = async () => {
      while (next < count) {
        next++;
        await engine.createProcessInstanceWithResult({ bpmnProcessId: load.bpmnProcessId, variables: load.variables() }, { requestTimeoutMs: 30_000 });
      }
    };
    await Promise.all(Array.from({ length: inFlight }, loop));
  };
  await run(Math.min(2_000, instances / 5));
  recordCount = 0;
  const positionBefore = maxPosition(engine);
  const bytesBefore = logBytes(engine);
  const storedBefore = storedValueBytes(engine);
  const writtenBefore = bytesWritten();
  const cpu = process.cpuUsage();
  const start = performance.now();
  await run(instances);
  const fileWrites = bytesWritten() - writtenBefore;
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  const recordBytes = logBytes(engine) - bytesBefore;
  const storedValues = storedValueBytes(engine) - storedBefore;
  const written = maxPosition(engine) - positionBefore;
  dispatcher.close();
  const cpuMs = (used.user + used.system) / 1000;
  process.stdout.write(`${JSON.stringify({
    instances, inFlight, seconds: round(seconds), instancesPerSecond: round(instances / seconds),
    cpuMsPerInstance: round(cpuMs / instances, 3), userMsPerInstance: round(used.user / 1000 / instances, 3),
    systemMsPerInstance: round(used.system / 1000 / instances, 3),
    recordsPerInstance: round(recordCount / instances), storedRecordsPerInstance: round(written / instances),
    recordJsonBytesPerInstance: Math.round(recordBytes / instances), storedValueBytesPerInstance: Math.round(storedValues / instances),
    storeBytesPerInstance: Math.round(storeBytes(dataDir) / instances),
    fileWriteBytesPerInstance: Number.isNaN(fileWrites) ? undefined : Math.round(fileWrites / instances),
  })}\n`);
}

/** Bytes this process handed to write calls so far (Linux `/proc/self/io`), WAL and checkpoints included; NaN elsewhere. */
function bytesWritten(): number {
  try {
    return Number(/^wchar: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'))?.[1] ?? Number.NaN);
  } catch {
    return Number.NaN;
  }
}

/** Leaves `count` instances waiting at the P14D timer. */
async function park(engine: Engine, count: number, inFlight: number): Promise<void> {
  let next = 0;
  const loop = async () => {
    while (next < count) {
      next++;
      await engine.createProcessInstance({ bpmnProcessId: 'bench-waiting-timer', variables: {} });
    }
  };
  await Promise.all(Array.from({ length: inFlight }, loop));
}

async function waiting(engine: Engine, instances: number, inFlight: number, dataDir: string): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  const create = (count: number) => park(engine, count, inFlight);
  await create(1_000);
  const readings: number[] = [];
  for (let step = 0; step <= 3; step++) {
    if (step > 0) await create(instances);
    await new Promise((resolve) => setTimeout(resolve, 500));
    gc?.();
    readings.push(process.memoryUsage().rss);
  }
  const slopes = readings.slice(1).map((rss, i) => (rss - readings[i]!) / instances).sort((a, b) => a - b);
  process.stdout.write(`${JSON.stringify({
    instancesPerStep: instances, rssBytesPerWaitingInstance: Math.round(slopes[1]!), slopes: slopes.map(Math.round),
    heapUsed: process.memoryUsage().heapUsed, storeBytesPerWaitingInstance: Math.round(storeBytes(dataDir) / (3 * instances + 1_000)),
  })}\n`);
}

function maxPosition(engine: Engine): number {
  return (engine.state.db.prepare('SELECT COALESCE(MAX(position), 0) AS p FROM records').get() as { p: number }).p;
}

/** Record values as the record log stores them (a value shared by several records once). */
function storedValueBytes(engine: Engine): number {
  return (engine.state.db.prepare('SELECT COALESCE(SUM(LENGTH(value)), 0) AS n FROM record_log').get() as { n: number }).n;
}

/** The records as readers of the store get them: whole JSON records. */
function logBytes(engine: Engine): number {
  return (engine.state.db.prepare('SELECT COALESCE(SUM(LENGTH(record)), 0) AS n FROM records').get() as { n: number }).n;
}

function storeBytes(dataDir: string): number {
  return ['engine.sqlite', 'engine.sqlite-wal']
    .map((name) => { try { return statSync(path.join(dataDir, name)).size; } catch { return 0; } })
    .reduce((a, b) => a + b, 0);
}

function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

main().catch((error: unknown) => {
  process.stderr.write(`core load failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
