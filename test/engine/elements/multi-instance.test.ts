/** Multi-instance activities, as in Zeebe's docs ("Multi-instance"): body, inner instances, collections. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ElementIntent, ValueType } from '../../../infra/engine/core/records.js';
import { startElementsHarness, type ElementsHarness } from './elements-harness.js';

describe('multi-instance', () => {
  let h: ElementsHarness;
  beforeEach(async () => {
    h = await startElementsHarness();
  });
  afterEach(() => h.close());

  const activated = (processInstanceKey: number, elementType: string) =>
    h.recordsOf(ValueType.PROCESS_INSTANCE, ElementIntent.ELEMENT_ACTIVATED)
      .filter((r) => r.value.processInstanceKey === processInstanceKey && r.value.bpmnElementType === elementType);

  it('When a parallel multi-instance task runs, then every item gets an inner instance with its item and loopCounter', async () => {
    await h.deploy('mi-parallel-task.bpmn');
    const instance = await h.start('mi-parallel-task', { items: ['a', 'b', 'c'] });

    await h.waitForRecord((r) => r.valueType === ValueType.JOB && r.intent === 'CREATED' && activated(instance.key, 'SERVICE_TASK').length === 3);
    const jobs = await h.engine.activateJobs({ type: 'ship', worker: 'test', timeoutMs: 60_000, maxJobsToActivate: 10 });

    expect(jobs.map((j) => [j.variables.item, j.variables.loopCounter])).toEqual([['a', 1], ['b', 2], ['c', 3]]);
    expect(activated(instance.key, 'MULTI_INSTANCE_BODY').map((r) => r.value.elementId)).toEqual(['ship']);
  });

  it('When the inner instances complete in any order, then the output collection keeps the items order', async () => {
    await h.deploy('mi-parallel-task.bpmn');
    const instance = await h.start('mi-parallel-task', { items: ['a', 'b', 'c'] });
    await h.waitForRecord(() => activated(instance.key, 'SERVICE_TASK').length === 3);
    const jobs = await h.engine.activateJobs({ type: 'ship', worker: 'test', timeoutMs: 60_000, maxJobsToActivate: 10 });

    for (const job of [...jobs].reverse()) await h.engine.completeJob(job.key, { shipped: `shipped-${job.variables.item}` });
    await h.waitForCompletion(instance.key);

    expect(h.variable(instance.key, 'results')).toEqual(['shipped-a', 'shipped-b', 'shipped-c']);
  });

  it.each([
    { fixture: 'mi-parallel-task.bpmn', processId: 'mi-parallel-task', type: 'ship', collection: 'items', output: 'shipped', results: 'results' },
    { fixture: 'mi-output-mapping.bpmn', processId: 'mi-output-mapping', type: 'track', collection: 'parcels', output: 'tracking', results: 'trackings' },
  ])('When the inner instances of $processId set the output element, then each keeps it local and only the output collection leaves the body', async ({ fixture, processId, type, collection, output, results }) => {
    await h.deploy(fixture);
    const instance = await h.start(processId, { [collection]: ['a', 'b'] });
    await h.waitForRecord(() => activated(instance.key, 'SERVICE_TASK').length === 2);
    const jobs = await h.engine.activateJobs({ type, worker: 'test', timeoutMs: 60_000, maxJobsToActivate: 10 });

    for (const job of jobs) await h.engine.completeJob(job.key, { shipped: `done-${job.variables.item}`, trackingId: `done-${job.variables.parcel}` });
    await h.waitForCompletion(instance.key);

    expect(h.variable(instance.key, results)).toEqual(['done-a', 'done-b']);
    expect(h.engine.state.variables.getLocal(instance.key, output)).toBeUndefined();
    expect(h.recordsOf(ValueType.VARIABLE, 'CREATED').filter((r) => r.value.name === output && r.value.scopeKey === instance.key)).toEqual([]);
  });

  it('When a sequential multi-instance task runs, then the next inner instance starts after the previous completed', async () => {
    await h.deploy('mi-sequential-task.bpmn');
    const instance = await h.start('mi-sequential-task', { items: ['a', 'b'] });

    const first = await h.activateJob('ship');
    expect(activated(instance.key, 'SERVICE_TASK')).toHaveLength(1);
    await h.engine.completeJob(first.key, { shipped: 1 });
    const second = await h.completeJob('ship', { shipped: 2 });
    await h.waitForCompletion(instance.key);

    expect([first.variables.item, second.variables.item]).toEqual(['a', 'b']);
    expect(h.variable(instance.key, 'results')).toEqual([1, 2]);
  });

  it('When the input collection is empty, then the body completes at once with an empty output collection', async () => {
    await h.deploy('mi-parallel-task.bpmn');
    const instance = await h.start('mi-parallel-task', { items: [] });

    await h.waitForCompletion(instance.key);

    expect(activated(instance.key, 'SERVICE_TASK')).toHaveLength(0);
    expect(h.variable(instance.key, 'results')).toEqual([]);
  });

  it('When the completion condition is fulfilled, then the other inner instances are terminated and the body completes', async () => {
    await h.deploy('mi-completion-condition.bpmn');
    const instance = await h.start('mi-completion-condition', { items: ['a', 'b', 'c'] });
    await h.waitForRecord(() => activated(instance.key, 'SERVICE_TASK').length === 3);
    const jobs = await h.engine.activateJobs({ type: 'ship', worker: 'test', timeoutMs: 60_000, maxJobsToActivate: 10 });

    await h.engine.completeJob(jobs[0]!.key, { shipped: 'a' });
    await h.engine.completeJob(jobs[2]!.key, { shipped: 'c' });
    await h.waitForCompletion(instance.key);

    expect(h.elementsWith(instance.key, ElementIntent.ELEMENT_TERMINATED)).toEqual(['ship']);
    expect(h.variable(instance.key, 'results')).toEqual(['a', null, 'c']);
  });

  it('When an inner instance was terminated by a modification, then the completion condition counts it in numberOfTerminatedInstances and not as completed', async () => {
    await h.deploy('mi-terminated-instances.bpmn');
    const instance = await h.start('mi-terminated-instances', { items: ['a', 'b', 'c'] });
    await h.waitForRecord(() => activated(instance.key, 'SERVICE_TASK').length === 3);
    const jobs = await h.engine.activateJobs({ type: 'ship', worker: 'test', timeoutMs: 60_000, maxJobsToActivate: 10 });
    const jobOf = (item: string) => jobs.find((job) => job.variables['item'] === item)!;

    await h.engine.modifyProcessInstance({ processInstanceKey: String(instance.key), terminateInstructions: [{ elementInstanceKey: jobOf('b').elementInstanceKey }] });
    await h.waitForRecord(() => h.elementsWith(instance.key, ElementIntent.ELEMENT_TERMINATED).length === 1);
    await h.engine.completeJob(jobOf('a').key, { shipped: 'a' });
    await h.waitForCompletion(instance.key);

    expect(h.elementsWith(instance.key, ElementIntent.ELEMENT_TERMINATED)).toEqual(['ship', 'ship']);
    expect(h.variable(instance.key, 'results')).toEqual(['a', null, null]);
  });

  it('When a sequential multi-instance evaluates its completion condition, then numberOfInstances counts the inner instances created so far, as in Zeebe', async () => {
    await h.deploy('mi-sequential-inside-properties.bpmn');
    const instance = await h.start('mi-sequential-inside-properties', { items: ['a', 'b', 'c'] });

    for (const item of ['a', 'b']) {
      await h.waitForRecord(() => activated(instance.key, 'SERVICE_TASK').length === ['a', 'b'].indexOf(item) + 1);
      const [job] = await h.engine.activateJobs({ type: 'ship', worker: 'test', timeoutMs: 60_000, maxJobsToActivate: 1 });
      await h.engine.completeJob(job!.key, { shipped: item });
    }
    await h.waitForCompletion(instance.key);

    expect(activated(instance.key, 'SERVICE_TASK')).toHaveLength(2);
    expect(h.variable(instance.key, 'results')).toEqual(['a', 'b', null]);
  });

  it('When an inner instance throws an error, then the boundary event of the body catches it', async () => {
    await h.deploy('mi-parallel-task.bpmn');
    const instance = await h.start('mi-parallel-task', { items: ['a', 'b'] });
    const job = await h.activateJob('ship');

    await h.engine.throwError({ jobKey: job.key, errorCode: 'SHIP_FAILED' });
    await h.waitForCompletion(instance.key);

    const terminated = h.recordsOf(ValueType.PROCESS_INSTANCE, ElementIntent.ELEMENT_TERMINATED).filter((r) => r.value.processInstanceKey === instance.key);
    expect(terminated.map((r) => r.value.bpmnElementType)).toEqual(['SERVICE_TASK', 'SERVICE_TASK', 'MULTI_INSTANCE_BODY']);
    expect(h.elementsWith(instance.key, ElementIntent.ELEMENT_COMPLETED)).toContain('failed');
  });

  it('When a sequential multi-instance sub-process runs, then each inner sub-process sees its item and loopCounter', async () => {
    await h.deploy('mi-sub-process.bpmn');
    const instance = await h.start('mi-sub-process', { items: ['x', 'y'] });

    await h.waitForCompletion(instance.key);

    expect(h.variable(instance.key, 'labels')).toEqual(['label-x-1', 'label-y-2']);
  });

  it('When a multi-instance call activity runs, then one called instance per item is created and their results collected', async () => {
    await h.deploy('mi-call-activity.bpmn', 'call-child.bpmn');
    const instance = await h.start('mi-call-activity', { items: [1, 2] });
    await h.waitForRecord(() => h.calledInstances(instance.key).length === 2);

    await h.completeJob('child-work', { result: 'first' });
    await h.completeJob('child-work', { result: 'second' });
    await h.waitForCompletion(instance.key);

    expect(h.variable(instance.key, 'results')).toEqual(['first', 'second']);
  });
});
