/**
 * The engine's `/metrics` on its management port, after real work through `@camunda8/sdk` over
 * gRPC: the scraped numbers must equal what the test did.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEngineServer } from '../../infra/engine/engine-server.js';
import { assertThatProcessInstance, startTestEngine, type TestEngine } from '../../infra/engine/testing/index.js';
import { sdkZeebeClient } from '../engine/clients/client-test-support.js';
import { scrape } from './support/prometheus-scrape.js';

const TWO_TASKS = 'test/observability/fixtures/two-tasks.bpmn';
const MESSAGE_CATCH = 'test/engine/fixtures/message-catch.bpmn';

let kit: TestEngine;

beforeEach(async () => {
  kit = await startTestEngine();
  await kit.deploy([TWO_TASKS, MESSAGE_CATCH]);
});

afterEach(() => kit.close());

const engineMetrics = () => scrape(`${kit.managementUrl}/metrics`);

/** Activates jobs of `type` until `count` are in hand; fails after a bounded wait. */
async function activate(type: string, count: number) {
  const jobs: Awaited<ReturnType<TestEngine['zeebe']['activateJobs']>> = [];
  const deadline = Date.now() + 10_000;
  while (jobs.length < count) {
    if (Date.now() > deadline) throw new Error(`Expected ${count} '${type}' jobs, but only ${jobs.length} were activated within 10 s`);
    jobs.push(...(await kit.zeebe.activateJobs({ type, worker: 'metrics-test', maxJobsToActivate: count - jobs.length, timeout: 60_000, requestTimeout: 1_000 })));
  }
  return jobs;
}

describe('engine metrics', () => {
  it('When three instances run through two service tasks, then created, activated and completed jobs are counted per type', async () => {
    const instances = await Promise.all([1, 2, 3].map(() => kit.createInstance('two-tasks')));
    for (const type of ['reserve', 'ship']) {
      for (const job of await activate(type, 3)) await kit.zeebe.completeJob({ jobKey: job.key, variables: {} });
    }
    for (const instance of instances) await assertThatProcessInstance(kit, instance).isCompleted();

    const metrics = await engineMetrics();
    for (const type of ['reserve', 'ship']) {
      for (const action of ['created', 'activated', 'completed']) expect(metrics.value('zeebe_job_events_total', { action, type }), `${action} ${type}`).toBe(3);
      expect(metrics.value('zeebe_job_events_total', { action: 'failed', type })).toBe(0);
    }
  });

  it('When instances are created and complete, then they are counted per process id and none stays active', async () => {
    const instances = await Promise.all([1, 2].map(() => kit.createInstance('two-tasks')));
    expect((await engineMetrics()).value('orderflow_engine_process_instances_active', { bpmnProcessId: 'two-tasks' })).toBe(2);
    for (const type of ['reserve', 'ship']) {
      for (const job of await activate(type, 2)) await kit.zeebe.completeJob({ jobKey: job.key, variables: {} });
    }
    for (const instance of instances) await assertThatProcessInstance(kit, instance).isCompleted();

    const metrics = await engineMetrics();
    expect(metrics.value('orderflow_engine_process_instances_total', { action: 'created', bpmnProcessId: 'two-tasks' })).toBe(2);
    expect(metrics.value('orderflow_engine_process_instances_total', { action: 'completed', bpmnProcessId: 'two-tasks' })).toBe(2);
    expect(metrics.value('orderflow_engine_process_instances_active', { bpmnProcessId: 'two-tasks' })).toBe(0);
    expect(metrics.value('zeebe_element_instance_events_total', { action: 'completed', type: 'SERVICE_TASK' })).toBe(4);
    expect(metrics.value('zeebe_stream_processor_records_total', { action: 'written' })).toBeGreaterThan(0);
  });

  it('When an instance is cancelled, then it is counted terminated and no longer active', async () => {
    const instance = await kit.createInstance('two-tasks');
    await kit.zeebe.cancelProcessInstance(instance.processInstanceKey);
    await assertThatProcessInstance(kit, instance).isTerminated();

    const metrics = await engineMetrics();
    expect(metrics.value('orderflow_engine_process_instances_total', { action: 'terminated', bpmnProcessId: 'two-tasks' })).toBe(1);
    expect(metrics.value('orderflow_engine_process_instances_active', { bpmnProcessId: 'two-tasks' })).toBe(0);
    expect(metrics.value('zeebe_job_events_total', { action: 'canceled', type: 'reserve' })).toBe(1);
  });

  it('When a worker holds a job for 5 s of engine time, then job life and execution times observe 5 s', async () => {
    const instance = await kit.createInstance('two-tasks');
    const [job] = await activate('reserve', 1);
    await kit.increaseTime(5_000);
    await kit.zeebe.completeJob({ jobKey: job!.key, variables: {} });
    await assertThatProcessInstance(kit, instance).hasPassedElements('reserve');

    const metrics = await engineMetrics();
    expect(metrics.value('zeebe_job_life_time_count', { type: 'reserve' })).toBe(1);
    expect(metrics.value('zeebe_job_life_time_sum', { type: 'reserve' })).toBe(5);
    expect(metrics.value('orderflow_engine_job_execution_time_sum', { type: 'reserve' })).toBe(5);
    expect(metrics.value('zeebe_job_activation_time_sum', { type: 'reserve' })).toBe(0);
  });

  it('When a job fails with no retries left, then an incident is open until it is resolved', async () => {
    await kit.createInstance('two-tasks');
    const [job] = await activate('reserve', 1);
    await kit.zeebe.failJob({ jobKey: job!.key, retries: 0, errorMessage: 'Expected the warehouse to answer, but it did not', retryBackOff: 0 });
    const open = await engineMetrics();
    expect(open.value('zeebe_job_events_total', { action: 'failed', type: 'reserve' })).toBe(1);
    expect(open.value('zeebe_incident_events_total', { action: 'created' })).toBe(1);
    expect(open.value('zeebe_pending_incidents_total')).toBe(1);

    const incident = kit.records.all().find((record) => record.valueType === 'INCIDENT' && record.intent === 'CREATED')!;
    await kit.zeebe.updateJobRetries({ jobKey: job!.key, retries: 1 });
    await kit.zeebe.resolveIncident({ incidentKey: String(incident.key) });
    const resolved = await engineMetrics();
    expect(resolved.value('zeebe_incident_events_total', { action: 'resolved' })).toBe(1);
    expect(resolved.value('zeebe_pending_incidents_total')).toBe(0);
  });

  it('When a buffered message waits 2 s for its instance, then the correlation time observes 2 s', async () => {
    const orderId = randomUUID();
    await kit.zeebe.publishMessage({ name: 'payment-received', correlationKey: orderId, timeToLive: 60_000, variables: {} });
    await kit.increaseTime(2_000);
    const instance = await kit.createInstance('message-catch', { orderId });
    await assertThatProcessInstance(kit, instance).isCompleted();

    const metrics = await engineMetrics();
    expect(metrics.value('orderflow_engine_message_correlation_time_count')).toBe(1);
    expect(metrics.value('orderflow_engine_message_correlation_time_sum')).toBe(2);
  });

  it("When Prometheus scrapes Zeebe's actuator path, then it gets the same series as /metrics in the text format", async () => {
    await kit.createInstance('two-tasks');
    const actuator = await scrape(`${kit.managementUrl}/actuator/prometheus`);
    const metrics = await engineMetrics();

    expect(actuator.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    // Families, not sample names: a GC between the two scrapes gives its histogram its first samples.
    expect(actuator.families.size).toBeGreaterThan(0);
    expect(actuator.families).toEqual(metrics.families);
    expect(actuator.value('orderflow_engine_process_instances_active', { bpmnProcessId: 'two-tasks', service: 'engine' })).toBe(1);
  });
});

describe('engine metrics after a restart', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'orderflow-engine-metrics-'));
  });

  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('When the engine restarts on its store, then the gauges report the instances and incidents it still holds', async () => {
    const first = await startEngineServer({ dataDir });
    const zeebe = sdkZeebeClient(first);
    try {
      await zeebe.deployResource({ processFilename: TWO_TASKS });
      for (let i = 0; i < 2; i++) await zeebe.createProcessInstance({ bpmnProcessId: 'two-tasks', variables: {} });
      const [job] = await zeebe.activateJobs({ type: 'reserve', worker: 'metrics-test', maxJobsToActivate: 1, timeout: 60_000, requestTimeout: 1_000 });
      await zeebe.failJob({ jobKey: job!.key, retries: 0, errorMessage: 'Expected the warehouse to answer, but it did not', retryBackOff: 0 });
    } finally {
      await zeebe.close();
      await first.close();
    }

    const restarted = await startEngineServer({ dataDir });
    try {
      const metrics = await scrape(`http://${restarted.host}:${restarted.managementPort}/metrics`);
      expect(metrics.value('orderflow_engine_process_instances_active', { bpmnProcessId: 'two-tasks' })).toBe(2);
      expect(metrics.value('zeebe_pending_incidents_total')).toBe(1);
    } finally {
      await restarted.close();
    }
  });
});
