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

  const startAt = async (...elementIds: string[]) => {
    const created = await h.engine.createProcessInstance({ bpmnProcessId: 'modification', variables: { orderId: 'o-1' }, startInstructions: elementIds });
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

  it('When start instructions name elements in different scopes, then each starts there and a sub-process is created around the inner one', async () => {
    const key = await startAt('ship', 'thank');

    await h.waitForElement(key, 'thank', ElementIntent.ELEMENT_ACTIVATED);
    await h.waitForElement(key, 'ship', ElementIntent.ELEMENT_ACTIVATED);
    expect(h.elementsWith(key, ElementIntent.ELEMENT_ACTIVATED).sort()).toEqual(['follow-up', 'modification', 'ship', 'thank']);
  });

  it('When two start instructions name elements of the same sub-process, then both run in one instance of it', async () => {
    const key = await startAt('survey', 'thank');

    const survey = await h.waitForElement(key, 'survey', ElementIntent.ELEMENT_ACTIVATED);
    const thank = await h.waitForElement(key, 'thank', ElementIntent.ELEMENT_ACTIVATED);
    const followUp = await h.waitForElement(key, 'follow-up', ElementIntent.ELEMENT_ACTIVATED);
    expect([survey.value.flowScopeKey, thank.value.flowScopeKey]).toEqual([followUp.key, followUp.key]);
    expect(h.elementsWith(key, ElementIntent.ELEMENT_ACTIVATED).filter((id) => id === 'follow-up')).toHaveLength(1);
  });

  it('When two start instructions name the same element, then it is activated twice', async () => {
    const key = await startAt('ship', 'ship');

    await h.waitForRecord((r) => r.intent === ElementIntent.ELEMENT_ACTIVATED && r.value.processInstanceKey === key && r.value.elementId === 'ship'
      && h.elementsWith(key, ElementIntent.ELEMENT_ACTIVATED).filter((id) => id === 'ship').length === 2);
    expect(h.elementsWith(key, ElementIntent.ELEMENT_ACTIVATED).filter((id) => id === 'ship')).toHaveLength(2);
  });
});

describe('start instructions Zeebe refuses', () => {
  it.each([
    ['modification.bpmn', 'modification', 'nowhere', "Expected to create instance of process with start instructions but no element found with id 'nowhere'."],
    ['../elements/mi-sub-process.bpmn', 'mi-sub-process', 'label-item', "Expected to create instance of process with start instructions but the element with id 'label-item' is inside a multi-instance subprocess. The creation of elements inside a multi-instance subprocess is not supported."],
    ['modification.bpmn', 'modification', 'follow-up-start', "Expected to create instance of process with start instructions but the element with id 'follow-up-start' targets unsupported element type 'START_EVENT'. Supported element types are: ["],
    ['modification.bpmn', 'modification', 'to-ship', "Expected to create instance of process with start instructions but the element with id 'to-ship' targets unsupported element type 'SEQUENCE_FLOW'."],
    ['boundary-events.bpmn', 'boundary-events', 'ship-deadline', "Expected to create instance of process with start instructions but the element with id 'ship-deadline' targets unsupported element type 'BOUNDARY_EVENT'."],
    ['event-based-gateway.bpmn', 'event-based-gateway', 'payment-received', "Expected to create instance of process with start instructions but the element with id 'payment-received' belongs to an event-based gateway. The creation of elements belonging to an event-based gateway is not supported."],
  ])('When %s is started at %s/%s, then creation is refused with INVALID_ARGUMENT and Zeebe\'s reason', async (fixture, bpmnProcessId, elementId, reason) => {
    await h.deploy(fixture);
    const refused = await h.engine.createProcessInstance({ bpmnProcessId, variables: {}, startInstructions: [elementId] }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ rejectionType: 'INVALID_ARGUMENT' });
    expect((refused as { reason: string }).reason.startsWith(reason)).toBe(true);
  });
});
