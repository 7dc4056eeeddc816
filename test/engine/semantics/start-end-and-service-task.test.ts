import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ElementIntent, ValueType } from '../../../infra/engine/core/records.js';
import { startHarness, type EngineHarness } from './engine-harness.js';

let h: EngineHarness;
beforeEach(async () => { h = await startHarness(); });
afterEach(() => h.close());

describe('none start and end events', () => {
  it('When an instance of start → end is created, then it passes both events and completes', async () => {
    await h.deploy('start-end.bpmn');
    const instance = await h.start('start-end');
    await h.waitForCompletion(instance.key);
    expect(h.elementsWith(instance.key, ElementIntent.ELEMENT_COMPLETED)).toEqual(['start', 'end', 'start-end']);
  });

  it('When an instance is created, then its sequence flow is taken between the events', async () => {
    await h.deploy('start-end.bpmn');
    const instance = await h.start('start-end');
    await h.waitForCompletion(instance.key);
    expect(h.elementsWith(instance.key, ElementIntent.SEQUENCE_FLOW_TAKEN)).toEqual(['to-end']);
  });
});

describe('service task jobs', () => {
  beforeEach(async () => { await h.deploy('service-task.bpmn'); });

  it('When a service task activates, then a job of its type with its headers and retries is created', async () => {
    const instance = await h.start('service-task');
    const job = await h.activateJob('work');
    expect(job).toMatchObject({ type: 'work', elementId: 'work', retries: 3, customHeaders: { channel: 'email' }, processInstanceKey: String(instance.key) });
  });

  it('When the job is completed, then the task completes and the instance ends', async () => {
    const instance = await h.start('service-task');
    await h.completeJob('work');
    await h.waitForCompletion(instance.key);
    expect(h.elementsWith(instance.key, ElementIntent.ELEMENT_COMPLETED)).toEqual(['start', 'work', 'end', 'service-task']);
  });

  it('When the job is completed with variables, then they are merged into the process scope', async () => {
    const instance = await h.start('service-task', { orderId: 'o-1', status: 'new' });
    await h.completeJob('work', { status: 'packed', weight: 3 });
    await h.waitForCompletion(instance.key);
    expect([h.variable(instance.key, 'orderId'), h.variable(instance.key, 'status'), h.variable(instance.key, 'weight')]).toEqual(['o-1', 'packed', 3]);
  });

  it('When jobs are activated with fetchVariables, then only those variables are on the job', async () => {
    await h.start('service-task', { orderId: 'o-1', secret: 's', amount: 5 });
    const job = await h.activateJob('work', { fetchVariables: ['orderId', 'amount'] });
    expect(job.variables).toEqual({ orderId: 'o-1', amount: 5 });
  });

  it('When jobs are activated without fetchVariables, then all visible variables are on the job', async () => {
    await h.start('service-task', { orderId: 'o-1', amount: 5 });
    const job = await h.activateJob('work');
    expect(job.variables).toEqual({ orderId: 'o-1', amount: 5 });
  });

  it('When a job was completed, then it is removed and completing it again is refused with NOT_FOUND', async () => {
    await h.start('service-task');
    const job = await h.completeJob('work');
    await h.waitForRecord((r) => r.valueType === ValueType.JOB && r.intent === 'COMPLETED' && r.key === Number(job.key));
    expect(h.engine.state.jobs.get(Number(job.key))).toBeUndefined();
    await expect(h.engine.completeJob(job.key)).rejects.toMatchObject({ rejectionType: 'NOT_FOUND' });
  });
});

describe('start instructions', () => {
  // modification.bpmn: prepare (job) → approved (message) → ship (job) → follow-up sub-process (survey → thank).
  beforeEach(async () => { await h.deploy('modification.bpmn'); });

  const startAt = async (elementId: string) => {
    const created = await h.engine.createProcessInstance({ bpmnProcessId: 'modification', variables: { orderId: 'o-1' }, startInstructions: [elementId] });
    return Number(created.processInstanceKey);
  };

  it('When an instance is created with a start instruction, then it starts at that element instead of the none start event', async () => {
    const key = await startAt('ship');

    await h.waitForElement(key, 'ship', ElementIntent.ELEMENT_ACTIVATED);
    expect(h.elementsWith(key, ElementIntent.ELEMENT_ACTIVATED)).toEqual(['modification', 'ship']);
  });

  it('When the start instruction names an element inside a sub-process, then the sub-process is created around it without its start event, and the instance completes through it', async () => {
    const key = await startAt('thank');

    const thank = await h.waitForElement(key, 'thank', ElementIntent.ELEMENT_ACTIVATED);
    const followUp = await h.waitForElement(key, 'follow-up', ElementIntent.ELEMENT_ACTIVATED);
    expect(thank.value.flowScopeKey).toBe(followUp.key);
    expect(h.elementsWith(key, ElementIntent.ELEMENT_ACTIVATED)).toEqual(['modification', 'follow-up', 'thank']);
    await h.completeJob('mod-thank');
    await h.waitForCompletion(key);
    expect(h.elementsWith(key, ElementIntent.ELEMENT_COMPLETED)).toEqual(['thank', 'follow-up-end', 'follow-up', 'end', 'modification']);
  });

  it('When more than one start instruction is given, then creation is refused with INVALID_ARGUMENT', async () => {
    await expect(h.engine.createProcessInstance({ bpmnProcessId: 'modification', variables: {}, startInstructions: ['ship', 'thank'] })).rejects.toMatchObject({ rejectionType: 'INVALID_ARGUMENT' });
  });
});
