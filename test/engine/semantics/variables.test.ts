import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ElementIntent } from '../../../infra/engine/core/records.js';
import { startHarness, type EngineHarness } from './engine-harness.js';

let h: EngineHarness;
beforeEach(async () => {
  h = await startHarness();
  await h.deploy('variable-mappings.bpmn', 'service-task.bpmn', 'nested-output-mapping.bpmn');
});
afterEach(() => h.close());

/** The element instance key of an activated element. */
async function elementKey(processInstanceKey: number, elementId: string): Promise<number> {
  return (await h.waitForElement(processInstanceKey, elementId, ElementIntent.ELEMENT_ACTIVATED)).key;
}

describe('input mappings', () => {
  it('When a sub-process with an input mapping activates, then the mapped variable is local to it', async () => {
    const instance = await h.start('variable-mappings', { order: { id: 'o-7' } });
    const subProcess = await elementKey(instance.key, 'inspection');
    await h.activateJob('inspect');
    expect(h.engine.state.variables.getLocal(subProcess, 'orderId')?.value).toBe('o-7');
    expect(h.engine.state.variables.getLocal(instance.key, 'orderId')).toBeUndefined();
  });

  it('When a job is activated inside the sub-process, then it sees the mapped and the outer variables', async () => {
    await h.start('variable-mappings', { order: { id: 'o-7' } });
    const job = await h.activateJob('inspect');
    expect(job.variables).toEqual({ order: { id: 'o-7' }, orderId: 'o-7' });
  });
});

describe('output mappings and propagation', () => {
  it('When a task with output mappings completes, then only the mapped variables reach the parent scope and propagate up', async () => {
    const instance = await h.start('variable-mappings', { order: { id: 'o-7' } });
    await h.completeJob('inspect', { result: 'ok', noise: 1 });
    await h.waitForCompletion(instance.key);
    expect(h.variable(instance.key, 'outcome')).toBe('ok');
    expect(h.variable(instance.key, 'noise')).toBeUndefined();
    expect(h.variable(instance.key, 'result')).toBeUndefined();
  });

  it('When job variables have no output mapping, then they propagate to the process scope', async () => {
    const instance = await h.start('service-task');
    await h.completeJob('work', { shipped: true });
    await h.waitForCompletion(instance.key);
    expect(h.variable(instance.key, 'shipped')).toBe(true);
  });

  it('When propagating variables include one the enclosing sub-process defines, then it is updated in the sub-process scope', async () => {
    const instance = await h.start('variable-mappings', { order: { id: 'o-7' } });
    const subProcess = await elementKey(instance.key, 'inspection');
    const task = await elementKey(instance.key, 'inspect');
    await h.engine.setVariables({ elementInstanceKey: String(task), variables: { result: 'pending', orderId: 'o-8' } });
    expect(h.engine.state.variables.getLocal(subProcess, 'orderId')?.value).toBe('o-8');
  });
});

describe('output mappings to nested targets', () => {
  it.each([
    { order: { id: 'o-7', payment: { method: 'card' } }, expected: { id: 'o-7', payment: { method: 'card', total: 30, currency: 'EUR' } } },
    { order: undefined, expected: { payment: { total: 30, currency: 'EUR' } } },
  ])('When the target variable is $order, then the mapped properties are merged into it at every level', async ({ order, expected }) => {
    const instance = await h.start('nested-output-mapping', order ? { order } : {});
    await h.completeJob('price', { total: 30, currency: 'EUR' });
    await h.waitForCompletion(instance.key);
    expect(h.variable(instance.key, 'order')).toEqual(expected);
  });
});

describe('SetVariables', () => {
  it('When SetVariables is local, then the variables are created in the given scope only', async () => {
    const instance = await h.start('service-task');
    const task = await elementKey(instance.key, 'work');
    await h.engine.setVariables({ elementInstanceKey: String(task), variables: { note: 'fragile' }, local: true });
    expect(h.engine.state.variables.getLocal(task, 'note')?.value).toBe('fragile');
    expect(h.engine.state.variables.getLocal(instance.key, 'note')).toBeUndefined();
  });

  it('When SetVariables is not local, then new variables propagate to the process scope', async () => {
    const instance = await h.start('service-task');
    const task = await elementKey(instance.key, 'work');
    await h.engine.setVariables({ elementInstanceKey: String(task), variables: { note: 'fragile' } });
    expect(h.engine.state.variables.getLocal(instance.key, 'note')?.value).toBe('fragile');
    expect(h.engine.state.variables.getLocal(task, 'note')).toBeUndefined();
  });

  it('When SetVariables names an unknown element instance, then it is refused with NOT_FOUND', async () => {
    await expect(h.engine.setVariables({ elementInstanceKey: '123', variables: { a: 1 } })).rejects.toMatchObject({ rejectionType: 'NOT_FOUND' });
  });
});

describe("Camunda's FEEL extension functions in a model", () => {
  it('When a model uses get or else, assert, is defined and is blank, then it deploys and its paths follow them', async () => {
    await h.deploy('camunda-feel-functions.bpmn');
    const withCoupon = await h.start('camunda-feel-functions', { orderId: 'order-1', coupon: 'SPRING' });
    const without = await h.start('camunda-feel-functions', { orderId: 'order-2', coupon: ' ' });
    await h.waitForElement(withCoupon.key, 'coupon-applied');
    await h.waitForElement(without.key, 'no-coupon');
    expect(h.variable(withCoupon.key, 'discount')).toBe(0);
    expect(h.variable(withCoupon.key, 'checkedOrderId')).toBe('order-1');
  });
});
