/**
 * A job stream whose client stops reading, over real gRPC: the gateway takes no more jobs for it
 * once what it sent is unread, so the jobs wait in the engine for a worker that can take them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ValueType, type EngineRecord } from '../../../infra/engine/core/records.js';
import type { EngineServer } from '../../../infra/engine/engine-server.js';
import { JobIntent } from '../../../infra/engine/processing/appliers/job-appliers.js';
import { fixturePath, startTestEngine } from './client-test-support.js';

const INSTANCES = 300;
/** About 4 KB per job, so unread jobs fill the connection's flow-control window quickly. */
const PAYLOAD = 'x'.repeat(4_096);

let server: EngineServer;
let worker: ChildProcess | undefined;

beforeEach(async () => {
  server = await startTestEngine();
  await server.engine.deployResources([{ name: 'one-task.bpmn', content: readFileSync(fixturePath('one-task.bpmn')) }]);
});

afterEach(async () => {
  worker?.kill('SIGKILL');
  await server.close();
});

/** Starts a worker process whose stream stops reading after its first job; resolves once it has. */
async function stalledWorker(): Promise<void> {
  worker = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./stalled-stream-client.ts', import.meta.url)), server.grpcAddress, 'work'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const stalled = new Promise<void>((resolve, reject) => {
    createInterface({ input: worker!.stdout! }).on('line', (line) => line === 'STALLED' && resolve());
    worker!.once('exit', (code) => reject(new Error(`Expected the worker to stall, but it exited with code ${code}`)));
  });
  // Its stream is registered some time after the process starts: jobs go out until one reaches it.
  for (let i = 0; i < 50; i++) {
    await server.engine.createProcessInstance({ bpmnProcessId: 'one-task', variables: { payload: PAYLOAD } });
    if (await Promise.race([stalled.then(() => true), sleep(200).then(() => false)])) return;
  }
  throw new Error('Expected the worker to receive a job within 50 instances, but it did not');
}

it('When a streaming worker stops reading, then its stream takes no more jobs and the rest wait for other workers', async () => {
  const records: EngineRecord[] = [];
  server.engine.onRecords((batch) => records.push(...batch));
  const jobEvents = (intent: string) => records.filter((r) => r.valueType === ValueType.JOB && r.intent === intent);
  await stalledWorker();
  const before = jobEvents(JobIntent.CREATED).length;

  for (let i = 0; i < INSTANCES; i++) await server.engine.createProcessInstance({ bpmnProcessId: 'one-task', variables: { payload: PAYLOAD } });
  await expect.poll(() => jobEvents(JobIntent.CREATED).length).toBe(before + INSTANCES);
  await sleep(200);

  const pushedToStalled = records.filter((r) => r.valueType === ValueType.JOB_BATCH && r.intent === 'ACTIVATED').reduce((n, r) => n + (r.value.jobKeys as number[]).length, 0);
  const polled = await server.engine.activateJobs({ type: 'work', worker: 'poller', timeoutMs: 60_000, maxJobsToActivate: before + INSTANCES });
  expect(pushedToStalled).toBeLessThan(INSTANCES / 2);
  expect(polled).toHaveLength(before + INSTANCES - pushedToStalled);
});
