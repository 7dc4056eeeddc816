import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ElementIntent, ValueType } from '../../../infra/engine/core/records.js';
import pino from 'pino';
import { CommandRejectedError, RejectionType, type ActivatedJob } from '../../../infra/engine/engine-api.js';
import { JobDispatcher } from '../../../infra/engine/gateway/job-dispatcher.js';
import { JobStatus } from '../../../infra/engine/state/job-state.js';
import { startHarness, type EngineHarness } from './engine-harness.js';

let h: EngineHarness;
beforeEach(async () => {
  h = await startHarness({ pinClock: true });
  await h.deploy('service-task.bpmn', 'boundary-events.bpmn');
});
afterEach(() => h.close());

function activate(type = 'work', timeoutMs = 60_000): Promise<ActivatedJob[]> {
  return h.engine.activateJobs({ type, worker: 'semantics-test', timeoutMs, maxJobsToActivate: 10 });
}

function jobEvent(jobKey: string, intent: string) {
  return (r: { valueType: string; intent: string; key: number }) => r.valueType === ValueType.JOB && r.intent === intent && r.key === Number(jobKey);
}

/** Every job key some JOB_BATCH ACTIVATED event activated, in the order of the record log. */
function activatedJobKeys(): number[] {
  return h.records.filter((r) => r.valueType === ValueType.JOB_BATCH && r.intent === 'ACTIVATED').flatMap((r) => r.value.jobKeys as number[]);
}

/** Fails the job as a worker does: one retry fewer each time, until none are left. */
async function failUntilNoRetries(job: ActivatedJob): Promise<void> {
  for (let retries = job.retries - 1; retries >= 0; retries--) {
    await h.engine.failJob({ jobKey: job.key, retries, errorMessage: 'warehouse down' });
    if (retries > 0) expect((await activate())[0]).toMatchObject({ key: job.key, retries });
  }
}

describe('job activation records', () => {
  it('When a worker activates jobs, then one JOB_BATCH ACTIVATED event carries them with worker and deadline, as Zeebe writes no JOB ACTIVATED', async () => {
    const first = await h.start('service-task');
    const second = await h.start('service-task');
    await h.waitForRecord((r) => r.valueType === ValueType.JOB && r.intent === 'CREATED' && r.value.processInstanceKey === second.key);
    const jobs = await h.engine.activateJobs({ type: 'work', worker: 'batch-worker', timeoutMs: 30_000, maxJobsToActivate: 5 });

    const batches = h.recordsOf(ValueType.JOB_BATCH, 'ACTIVATED');
    expect(batches).toHaveLength(1);
    const now = h.engine.clock.now();
    expect(batches[0]!.value).toMatchObject({
      type: 'work', worker: 'batch-worker', timeout: 30_000, maxJobsToActivate: 5, truncated: false,
      jobKeys: jobs.map((j) => Number(j.key)),
      jobs: [
        { processInstanceKey: first.key, elementId: 'work', worker: 'batch-worker', deadline: now + 30_000 },
        { processInstanceKey: second.key, elementId: 'work', worker: 'batch-worker', deadline: now + 30_000 },
      ],
    });
    expect(h.records.filter((r) => r.valueType === ValueType.JOB && r.intent === 'ACTIVATED')).toEqual([]);
    expect(h.engine.state.jobs.get(Number(jobs[0]!.key))?.status).toBe(JobStatus.ACTIVATED);
  });

  it('When an activated job completes without variables, then the store keeps its value once: the COMPLETED record reads it from the batch', async () => {
    await h.start('service-task');
    await h.start('service-task');
    const jobs = await activate();
    await h.engine.completeJob(jobs[1]!.key);
    const completed = await h.waitForRecord(jobEvent(jobs[1]!.key, 'COMPLETED'));
    const batch = h.recordsOf(ValueType.JOB_BATCH, 'ACTIVATED')[0]!;

    const row = h.engine.state.db.prepare<[number], { value: string | null; value_of: number | null; value_path: string | null }>('SELECT value, value_of, value_path FROM record_log WHERE position = ?').get(completed.position);
    const stored = h.engine.state.db.prepare<[number], { record: string }>('SELECT record FROM records WHERE position = ?').get(completed.position);

    expect(row).toEqual({ value: null, value_of: batch.position, value_path: '$.jobs[1]' });
    expect(JSON.parse(stored!.record)).toEqual(JSON.parse(JSON.stringify(completed)));
    expect(JSON.parse(stored!.record).value).toMatchObject({ worker: 'semantics-test', deadline: h.engine.clock.now() + 60_000 });
  });

  it('When no job is activatable, then the activation still writes an empty JOB_BATCH ACTIVATED event', async () => {
    expect(await activate()).toEqual([]);
    await h.waitForRecord((r) => r.valueType === ValueType.JOB_BATCH && r.intent === 'ACTIVATED');
    expect(h.recordsOf(ValueType.JOB_BATCH, 'ACTIVATED').map((r) => r.value.jobKeys)).toEqual([[]]);
  });
});

describe('job retries', () => {
  it('When a job fails with retries left, then it is activatable again with those retries', async () => {
    await h.start('service-task');
    const job = await h.activateJob('work');
    await h.engine.failJob({ jobKey: job.key, retries: 2, errorMessage: 'warehouse down' });
    expect(await activate()).toMatchObject([{ key: job.key, retries: 2 }]);
  });

  it('When the retries count down to 0, then an incident JOB_NO_RETRIES is raised with the error message', async () => {
    const instance = await h.start('service-task');
    await failUntilNoRetries(await h.activateJob('work'));
    const incident = await h.waitForIncident(instance.key);
    expect(incident.value).toMatchObject({ errorType: 'JOB_NO_RETRIES', elementId: 'work', errorMessage: 'warehouse down' });
    expect(await activate()).toEqual([]);
  });

  it('When the incident is resolved while the job still has no retries, then it is refused with INVALID_STATE and the incident stays open', async () => {
    const instance = await h.start('service-task');
    const job = await h.activateJob('work');
    await failUntilNoRetries(job);
    const incident = await h.waitForIncident(instance.key);

    await expect(h.engine.resolveIncident(String(incident.key))).rejects.toMatchObject({
      rejectionType: 'INVALID_STATE',
      reason: `Expected to resolve incident with key '${incident.key}', but job with key '${job.key}' has no retries left. Please update the job retries and retry resolving the incident`,
    });
    expect(h.recordsOf('INCIDENT', 'RESOLVED')).toEqual([]);
    expect(h.engine.state.incidents.get(incident.key)).toBeDefined();
  });

  it('When the retries are updated and the incident resolved, then the job is activatable again and the instance can complete', async () => {
    const instance = await h.start('service-task');
    const job = await h.activateJob('work');
    await failUntilNoRetries(job);
    const incident = await h.waitForIncident(instance.key);
    await h.engine.updateJobRetries(job.key, 1);
    await h.engine.resolveIncident(String(incident.key));
    const [again] = await activate();
    expect(again).toMatchObject({ key: job.key, retries: 1 });
    await h.engine.completeJob(job.key);
    await h.waitForCompletion(instance.key);
  });
});

describe('retry back-off', () => {
  it('When a job fails with a retry back-off, then it is not activatable before the back-off has passed', async () => {
    await h.start('service-task');
    const job = await h.activateJob('work');
    await h.engine.failJob({ jobKey: job.key, retries: 2, retryBackOffMs: 10_000 });
    h.engine.clock.add(9_000);
    expect(await activate()).toEqual([]);
  });

  it('When the back-off has passed, then the job recurs and is activatable again', async () => {
    await h.start('service-task');
    const job = await h.activateJob('work');
    await h.engine.failJob({ jobKey: job.key, retries: 2, retryBackOffMs: 10_000 });
    h.engine.clock.add(10_000);
    await h.waitForRecord(jobEvent(job.key, 'RECURRED_AFTER_BACKOFF'));
    expect(await activate()).toMatchObject([{ key: job.key, retries: 2 }]);
  });
});

describe('job timeout', () => {
  it('When an activated job is not completed within its timeout, then it times out and is activatable again', async () => {
    await h.start('service-task');
    const job = await h.activateJob('work', { timeoutMs: 30_000 });
    expect(await activate()).toEqual([]);
    h.engine.clock.add(30_001);
    await h.waitForRecord(jobEvent(job.key, 'TIMED_OUT'));
    expect(await activate()).toMatchObject([{ key: job.key }]);
  });

  it('When the timeout is extended with UpdateJobTimeout, then the job times out at the new deadline', async () => {
    await h.start('service-task');
    const job = await h.activateJob('work', { timeoutMs: 30_000 });
    const updatedAt = h.engine.clock.now();
    await h.engine.updateJobTimeout(job.key, 120_000);
    expect(h.engine.state.jobs.get(Number(job.key))!.value.deadline).toBe(updatedAt + 120_000);
    h.engine.clock.add(120_000);
    const timedOut = await h.waitForRecord(jobEvent(job.key, 'TIMED_OUT'));
    expect(timedOut.timestamp).toBe(updatedAt + 120_000);
  });
});

describe('job yield', () => {
  it('When an activated job is yielded, then it is activatable again at once with its retries, and no failure is recorded', async () => {
    await h.start('service-task');
    const job = await h.activateJob('work', { timeoutMs: 30_000 });
    await h.engine.yieldJob(job.key);
    expect(h.engine.state.jobs.get(Number(job.key))).toMatchObject({ status: JobStatus.ACTIVATABLE, value: { deadline: -1 } });
    expect(await activate()).toMatchObject([{ key: job.key, retries: job.retries }]);
    expect(h.records.filter(jobEvent(job.key, 'YIELDED'))).toHaveLength(1);
    expect(h.records.filter(jobEvent(job.key, 'FAILED'))).toEqual([]);
  });

  it('When a job that is not activated is yielded, then the command is rejected with INVALID_STATE', async () => {
    await h.start('service-task');
    const created = await h.waitForRecord((r) => r.valueType === ValueType.JOB && r.intent === 'CREATED');
    const rejection = await h.engine.yieldJob(String(created.key)).catch((error: unknown) => error);
    expect(rejection).toBeInstanceOf(CommandRejectedError);
    expect(rejection).toMatchObject({ rejectionType: RejectionType.INVALID_STATE, message: expect.stringContaining('it must be activated first') });
  });

  it('When a pushed job cannot be sent because its stream has gone, then the gateway yields it and a polling worker gets it with its retries', async () => {
    const dispatcher = new JobDispatcher(h.engine, pino({ level: 'silent' }));
    const refused: string[] = [];
    dispatcher.openStream({ type: 'work', worker: 'gone', timeoutMs: 60_000 }, { push: (job) => (refused.push(job.key), false), ready: () => true, end: () => {} });
    try {
      await h.start('service-task');
      const yielded = await h.waitForRecord((r) => r.valueType === ValueType.JOB && r.intent === 'YIELDED');
      expect(refused).toEqual([String(yielded.key)]);
      const [job] = await h.engine.activateJobs({ type: 'work', worker: 'poller', timeoutMs: 60_000, maxJobsToActivate: 1 });
      expect(job).toMatchObject({ key: String(yielded.key), worker: 'poller', retries: 3 });
    } finally {
      dispatcher.close();
    }
  });
});

describe('job streams and their clients', () => {
  it('When a stream\'s client is not reading, then no job is activated for it until it has caught up', async () => {
    const dispatcher = new JobDispatcher(h.engine, pino({ level: 'silent' }));
    let reading = false;
    const pushed: string[] = [];
    const stream = dispatcher.openStream({ type: 'work', worker: 'slow', timeoutMs: 60_000 }, { push: (job) => (pushed.push(job.key), true), ready: () => reading, end: () => {} });
    try {
      await h.start('service-task');
      const created = await h.waitForRecord((r) => r.valueType === ValueType.JOB && r.intent === 'CREATED');
      await h.start('service-task');
      await h.waitForRecord((r) => r.valueType === ValueType.JOB && r.intent === 'CREATED' && r.key !== created.key);
      expect(activatedJobKeys()).toEqual([]);
      expect(pushed).toEqual([]);

      const [polled] = await h.engine.activateJobs({ type: 'work', worker: 'poller', timeoutMs: 60_000, maxJobsToActivate: 1 });
      expect(polled).toMatchObject({ key: String(created.key), worker: 'poller' });

      reading = true;
      stream.resume();
      const activated = await h.waitForRecord((r) => r.valueType === ValueType.JOB_BATCH && r.intent === 'ACTIVATED' && r.value.worker === 'slow' && (r.value.jobKeys as number[]).length > 0);
      // The stream's catch-up pass delivers once its activation command has been answered.
      await vi.waitFor(() => expect(pushed).toEqual((activated.value.jobKeys as number[]).map(String)));
    } finally {
      dispatcher.close();
    }
  });
});

describe('ThrowError from a job', () => {
  it('When a worker throws an error whose code a boundary event catches, then the task is terminated and the boundary path is taken', async () => {
    const instance = await h.start('boundary-events', { orderId: 'o-1' });
    const job = await h.activateJob('ship');
    await h.engine.throwError({ jobKey: job.key, errorCode: 'OUT_OF_STOCK', errorMessage: 'none left' });
    await h.waitForCompletion(instance.key);
    expect(h.elementsWith(instance.key, ElementIntent.ELEMENT_TERMINATED)).toContain('ship');
    expect(h.elementsWith(instance.key, ElementIntent.ELEMENT_COMPLETED)).toContain('backordered');
  });

  it('When a worker throws an error no catch event matches, then an incident UNHANDLED_ERROR_EVENT is raised', async () => {
    const instance = await h.start('boundary-events', { orderId: 'o-1' });
    const job = await h.activateJob('ship');
    await h.engine.throwError({ jobKey: job.key, errorCode: 'CARRIER_STRIKE' });
    const incident = await h.waitForIncident(instance.key);
    expect(incident.value).toMatchObject({ errorType: 'UNHANDLED_ERROR_EVENT', elementId: 'ship' });
  });

  it('When a worker throws an error with variables, then they are available on the boundary path', async () => {
    const instance = await h.start('boundary-events', { orderId: 'o-1' });
    const job = await h.activateJob('ship');
    await h.engine.throwError({ jobKey: job.key, errorCode: 'OUT_OF_STOCK', variables: { missingSku: 'sku-9' } });
    await h.waitForCompletion(instance.key);
    expect(h.variable(instance.key, 'missingSku')).toBe('sku-9');
  });
});
