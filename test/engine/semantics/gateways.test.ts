import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ElementIntent, ValueType } from '../../../infra/engine/core/records.js';
import { isElement, startHarness, type EngineHarness } from './engine-harness.js';

let h: EngineHarness;
beforeEach(async () => { h = await startHarness({ pinClock: true }); });
afterEach(() => h.close());

describe('exclusive gateway', () => {
  beforeEach(async () => { await h.deploy('exclusive-gateway.bpmn', 'exclusive-gateway-without-default.bpmn'); });

  it.each([
    { amount: 500, taken: 'to-large', end: 'large' },
    { amount: 50, taken: 'to-small', end: 'small' },
  ])('When amount is $amount, then the gateway takes $taken', async ({ amount, taken, end }) => {
    const instance = await h.start('exclusive-gateway', { amount });
    await h.waitForCompletion(instance.key);
    expect(h.elementsWith(instance.key, ElementIntent.SEQUENCE_FLOW_TAKEN)).toEqual(['to-gateway', taken]);
    expect(h.elementsWith(instance.key, ElementIntent.ELEMENT_COMPLETED)).toContain(end);
  });

  it('When no condition is true and there is no default flow, then an incident CONDITION_ERROR is raised on the gateway', async () => {
    const instance = await h.start('exclusive-gateway-without-default', { amount: 50 });
    const incident = await h.waitForIncident(instance.key);
    expect(incident.value).toMatchObject({ errorType: 'CONDITION_ERROR', elementId: 'amount-gateway' });
  });

  it('When the variables are fixed with SetVariables and the incident resolved, then the instance continues', async () => {
    const instance = await h.start('exclusive-gateway-without-default', { amount: 50 });
    const incident = await h.waitForIncident(instance.key);
    await h.engine.setVariables({ elementInstanceKey: String(instance.key), variables: { amount: 500 } });
    await h.engine.resolveIncident(String(incident.key));
    await h.waitForCompletion(instance.key);
    expect(h.elementsWith(instance.key, ElementIntent.ELEMENT_COMPLETED)).toContain('large');
  });
});

describe('parallel gateway', () => {
  beforeEach(async () => { await h.deploy('parallel-gateway.bpmn'); });

  it('When the fork activates, then every outgoing branch gets a job', async () => {
    await h.start('parallel-gateway');
    const jobs = await Promise.all([h.activateJob('pack'), h.activateJob('invoice')]);
    expect(jobs.map((j) => j.elementId)).toEqual(['pack', 'invoice']);
  });

  it('When only one branch has completed, then the join waits', async () => {
    const instance = await h.start('parallel-gateway');
    await h.completeJob('pack');
    await h.waitForRecord(isElement(instance.key, 'pack-to-join', ElementIntent.SEQUENCE_FLOW_TAKEN));
    expect(h.elementsWith(instance.key, ElementIntent.ELEMENT_ACTIVATED)).not.toContain('join');
  });

  it('When both branches have completed, then the join activates once and the instance completes', async () => {
    const instance = await h.start('parallel-gateway');
    await h.completeJob('pack');
    await h.completeJob('invoice');
    await h.waitForCompletion(instance.key);
    expect(h.elementsWith(instance.key, ElementIntent.ELEMENT_COMPLETED).filter((id) => id === 'join')).toHaveLength(1);
  });
});

describe('inclusive gateway', () => {
  beforeEach(async () => { await h.deploy('inclusive-gateway.bpmn', 'exclusive-gateway-implicit-end.bpmn'); });

  it.each([
    { variables: { paid: true, ship: true, gift: false }, jobs: ['pack'], taken: ['to-join-directly', 'to-pack'] },
    { variables: { paid: false, ship: true, gift: true }, jobs: ['pack', 'wrap'], taken: ['to-pack', 'to-wrap'] },
  ])('When the fork takes $taken, then the join waits for those branches only and activates once', async ({ variables, jobs, taken }) => {
    const instance = await h.start('inclusive-gateway', variables);
    await h.waitForElement(instance.key, 'fork');
    expect(h.elementsWith(instance.key, ElementIntent.SEQUENCE_FLOW_TAKEN).filter((id) => id.startsWith('to-') && id !== 'to-fork')).toEqual(taken);
    const activated = [];
    for (const type of jobs) activated.push(await h.activateJob(type));
    expect(h.elementsWith(instance.key, ElementIntent.ELEMENT_ACTIVATING)).not.toContain('join');
    for (const job of activated) await h.engine.completeJob(job.key);
    await h.waitForCompletion(instance.key);
    expect(h.elementsWith(instance.key, ElementIntent.ELEMENT_COMPLETED).filter((id) => id === 'join')).toHaveLength(1);
  });

  it('When a branch goes straight to the join while another is still on its way, then the join waits for it', async () => {
    const instance = await h.start('inclusive-gateway', { paid: true, ship: true, gift: false });
    await h.activateJob('pack');
    await h.waitForRecord(isElement(instance.key, 'to-join-directly', ElementIntent.SEQUENCE_FLOW_TAKEN));
    expect(h.elementsWith(instance.key, ElementIntent.ELEMENT_ACTIVATED)).not.toContain('join');
  });

  it('When a gateway has no outgoing flow, then it ends its scope as an end event would', async () => {
    const instance = await h.start('exclusive-gateway-implicit-end');
    await h.waitForCompletion(instance.key);
    expect(h.elementsWith(instance.key, ElementIntent.ELEMENT_COMPLETED)).toContain('nowhere-to-go');
    expect(h.recordsOf(ValueType.INCIDENT, 'CREATED')).toEqual([]);
  });
});

describe('event-based gateway', () => {
  beforeEach(async () => { await h.deploy('event-based-gateway.bpmn'); });

  it('When the message arrives before the timer, then the message path is taken and the timer is canceled', async () => {
    const instance = await h.start('event-based-gateway', { orderId: 'o-1' });
    await h.waitForElement(instance.key, 'await-payment', ElementIntent.ELEMENT_ACTIVATED);
    await h.engine.publishMessage({ name: 'payment-received', correlationKey: 'o-1' });
    await h.waitForCompletion(instance.key);
    expect(h.elementsWith(instance.key, ElementIntent.ELEMENT_COMPLETED)).toContain('paid');
    expect(h.recordsOf(ValueType.TIMER, 'CANCELED')).toHaveLength(1);
  });

  it('When the timer is due before a message arrives, then the timer path is taken and the subscription is closed', async () => {
    const instance = await h.start('event-based-gateway', { orderId: 'o-1' });
    await h.waitForElement(instance.key, 'await-payment', ElementIntent.ELEMENT_ACTIVATED);
    h.engine.clock.add(15 * 60_000);
    await h.waitForCompletion(instance.key);
    expect(h.elementsWith(instance.key, ElementIntent.ELEMENT_COMPLETED)).toContain('expired');
    expect(h.engine.state.messageSubscriptions.where('element_instance_key > 0')).toEqual([]);
  });
});
