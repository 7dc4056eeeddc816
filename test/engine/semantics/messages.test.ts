import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ElementIntent, ValueType } from '../../../infra/engine/core/records.js';
import { RejectionType } from '../../../infra/engine/engine-api.js';
import { startHarness, type EngineHarness } from './engine-harness.js';

let h: EngineHarness;
beforeEach(async () => {
  h = await startHarness({ pinClock: true });
  await h.deploy('message-catch.bpmn', 'receive-task.bpmn', 'message-start.bpmn');
});
afterEach(() => h.close());

const HOUR = 3_600_000;

function publish(correlationKey: string, options: { timeToLiveMs?: number; messageId?: string; variables?: Record<string, unknown>; name?: string } = {}) {
  return h.engine.publishMessage({ name: options.name ?? 'payment-received', correlationKey, ...options });
}

async function waitingInstance(bpmnProcessId: string, elementId: string, orderId: string): Promise<number> {
  const instance = await h.start(bpmnProcessId, { orderId });
  await h.waitForElement(instance.key, elementId, ElementIntent.ELEMENT_ACTIVATED);
  return instance.key;
}

function correlations(): number {
  return h.recordsOf(ValueType.MESSAGE_SUBSCRIPTION, 'CORRELATED').length;
}

describe('message catch event and receive task', () => {
  it.each([
    { bpmnProcessId: 'message-catch', elementId: 'payment-received', name: 'payment-received' },
    { bpmnProcessId: 'receive-task', elementId: 'receive-confirmation', name: 'confirmation' },
  ])('When a message with the correlation key is published, then $elementId completes with its variables', async ({ bpmnProcessId, elementId, name }) => {
    const key = await waitingInstance(bpmnProcessId, elementId, 'o-1');
    await publish('o-1', { name, variables: { paidAmount: 42 } });
    await h.waitForCompletion(key);
    expect(h.variable(key, 'paidAmount')).toBe(42);
  });

  it('When the correlation key variable changes after activation, then the subscription keeps the key evaluated at activation', async () => {
    const key = await waitingInstance('message-catch', 'payment-received', 'o-1');
    await h.engine.setVariables({ elementInstanceKey: String(key), variables: { orderId: 'o-2' } });
    await publish('o-2');
    expect(correlations()).toBe(0);
    await publish('o-1');
    await h.waitForCompletion(key);
  });

  it('When a message for another correlation key is published, then the instance keeps waiting', async () => {
    await waitingInstance('message-catch', 'payment-received', 'o-1');
    await publish('o-9');
    expect(correlations()).toBe(0);
  });
});

describe('message buffering', () => {
  it('When a message with a time to live is published before the subscription opens, then it correlates when the catch event activates', async () => {
    await publish('o-1', { timeToLiveMs: HOUR });
    const instance = await h.start('message-catch', { orderId: 'o-1' });
    await h.waitForCompletion(instance.key);
  });

  it('When a message without a time to live finds no subscription, then it is not buffered', async () => {
    await publish('o-1');
    const key = await waitingInstance('message-catch', 'payment-received', 'o-1');
    expect(h.engine.state.messageSubscriptions.where('element_instance_key > 0').map((s) => s.value.processInstanceKey)).toEqual([key]);
    expect(correlations()).toBe(0);
  });

  it('When the time to live passes, then the message expires and no longer correlates', async () => {
    const { messageKey } = await publish('o-1', { timeToLiveMs: 1_000 });
    h.engine.clock.add(1_000);
    await h.waitForRecord((r) => r.valueType === ValueType.MESSAGE && r.intent === 'EXPIRED' && r.key === Number(messageKey));
    await waitingInstance('message-catch', 'payment-received', 'o-1');
    expect(correlations()).toBe(0);
  });

  it('When several buffered messages match, then they are consumed first-in-first-out, once per process', async () => {
    await publish('o-1', { timeToLiveMs: HOUR, variables: { n: 1 } });
    await publish('o-1', { timeToLiveMs: HOUR, variables: { n: 2 } });
    const first = await h.start('message-catch', { orderId: 'o-1' });
    await h.waitForCompletion(first.key);
    const second = await h.start('message-catch', { orderId: 'o-1' });
    await h.waitForCompletion(second.key);
    await waitingInstance('message-catch', 'payment-received', 'o-1');
    expect([h.variable(first.key, 'n'), h.variable(second.key, 'n'), correlations()]).toEqual([1, 2, 2]);
  });

  it('When a buffered message correlated to one process, then it still correlates to another process', async () => {
    await publish('o-1', { timeToLiveMs: HOUR, name: 'confirmation' });
    const receive = await h.start('receive-task', { orderId: 'o-1' });
    await h.waitForCompletion(receive.key);
    const second = await waitingInstance('receive-task', 'receive-confirmation', 'o-1');
    expect(h.elementsWith(second, ElementIntent.ELEMENT_COMPLETED)).not.toContain('receive-confirmation');
  });
});

describe('correlation cardinality', () => {
  it('When two instances of one process wait for the same message, then a published message correlates to only one of them', async () => {
    const first = await waitingInstance('message-catch', 'payment-received', 'o-1');
    const second = await waitingInstance('message-catch', 'payment-received', 'o-1');
    await publish('o-1', { timeToLiveMs: HOUR });
    await h.waitForCompletion(first);
    expect(h.elementsWith(second, ElementIntent.ELEMENT_COMPLETED)).toEqual(['start']);
  });

  it('When instances of two processes wait for the same message, then it correlates to both', async () => {
    const catchKey = await waitingInstance('message-catch', 'payment-received', 'o-1');
    const receiveKey = await waitingInstance('receive-task', 'receive-confirmation', 'o-1');
    await h.deploy('message-catch.bpmn');
    await publish('o-1');
    await publish('o-1', { name: 'confirmation' });
    await Promise.all([h.waitForCompletion(catchKey), h.waitForCompletion(receiveKey)]);
  });
});

describe('message id', () => {
  it('When a message with the id of a buffered message is published, then it is rejected with ALREADY_EXISTS', async () => {
    await publish('o-1', { timeToLiveMs: HOUR, messageId: 'payment-1' });
    await expect(publish('o-1', { timeToLiveMs: HOUR, messageId: 'payment-1' })).rejects.toMatchObject({ rejectionType: RejectionType.ALREADY_EXISTS });
  });

  it('When the first message with the id has expired, then the id can be published again', async () => {
    const { messageKey } = await publish('o-1', { timeToLiveMs: 1_000, messageId: 'payment-1' });
    h.engine.clock.add(1_000);
    await h.waitForRecord((r) => r.valueType === ValueType.MESSAGE && r.intent === 'EXPIRED' && r.key === Number(messageKey));
    await expect(publish('o-1', { timeToLiveMs: HOUR, messageId: 'payment-1' })).resolves.toHaveProperty('messageKey');
  });
});

describe('message start event', () => {
  it('When two messages are published, then one instance is created per message with its variables', async () => {
    await publish('order-1', { name: 'order-placed', variables: { orderId: 'order-1' } });
    await publish('order-2', { name: 'order-placed', variables: { orderId: 'order-2' } });
    const jobs = await h.engine.activateJobs({ type: 'handle-order', worker: 'semantics-test', timeoutMs: 60_000, maxJobsToActivate: 10 });
    expect(jobs.map((j) => j.variables.orderId)).toEqual(['order-1', 'order-2']);
    expect(new Set(jobs.map((j) => j.processInstanceKey)).size).toBe(2);
  });

  const instancesStarted = () => h.recordsOf(ValueType.PROCESS_INSTANCE, ElementIntent.ELEMENT_ACTIVATED)
    .filter((r) => r.value.bpmnElementType === 'PROCESS' && r.value.bpmnProcessId === 'message-start');

  it('When a message with the correlation key of an active message-started instance is published, then it starts no instance while that one is active', async () => {
    await publish('order-1', { name: 'order-placed', timeToLiveMs: HOUR, variables: { attempt: 1 } });
    await publish('order-1', { name: 'order-placed', timeToLiveMs: HOUR, variables: { attempt: 2 } });
    await h.activateJob('handle-order');
    expect(instancesStarted()).toHaveLength(1);
  });

  it.each([
    { end: 'completed', endInstance: async (job: { key: string; processInstanceKey: string }) => h.engine.completeJob(job.key, {}) },
    { end: 'cancelled', endInstance: async (job: { key: string; processInstanceKey: string }) => h.engine.cancelProcessInstance(job.processInstanceKey) },
  ])('When the message-started instance is $end, then the buffered message with its correlation key starts the next instance', async ({ endInstance }) => {
    await publish('order-1', { name: 'order-placed', timeToLiveMs: HOUR, variables: { attempt: 1 } });
    await publish('order-1', { name: 'order-placed', timeToLiveMs: HOUR, variables: { attempt: 2 } });
    await endInstance(await h.activateJob('handle-order'));

    await h.waitForRecord(() => instancesStarted().length === 2);
    const [next] = await h.engine.activateJobs({ type: 'handle-order', worker: 'semantics-test', timeoutMs: 60_000, maxJobsToActivate: 10 });
    expect(next?.variables.attempt).toBe(2);
  });

  it('When a message starts an instance, then the instance passes the message start event', async () => {
    await publish('order-1', { name: 'order-placed' });
    const created = await h.waitForRecord((r) => r.valueType === ValueType.PROCESS_INSTANCE && r.intent === ElementIntent.ELEMENT_COMPLETED && r.value.elementId === 'order-placed');
    expect(created.value).toMatchObject({ bpmnProcessId: 'message-start', bpmnEventType: 'MESSAGE' });
  });
});
