/** Call activities, as in Zeebe's docs ("Call activities"): variable propagation, termination, errors. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ElementIntent, ValueType } from '../../../infra/engine/core/records.js';
import { startElementsHarness, type ElementsHarness } from './elements-harness.js';

describe('call activity', () => {
  let h: ElementsHarness;
  beforeEach(async () => {
    h = await startElementsHarness();
  });
  afterEach(() => h.close());

  it('When the called process completes, then the parent gets its variables and continues', async () => {
    await h.deploy('call-parent.bpmn', 'call-child.bpmn');
    const parent = await h.start('call-parent', { childProcessId: 'call-child', order: { id: 'o-1' } });

    const job = await h.completeJob('child-work', { result: 'shipped' });
    await h.waitForCompletion(parent.key);

    expect(job.variables).toMatchObject({ order: { id: 'o-1' }, orderId: 'o-1' });
    expect(job.processInstanceKey).not.toBe(parent.processInstanceKey);
    expect(h.variable(parent.key, 'result')).toBe('shipped');
  });

  it('When propagation is off, then only the input mappings go down and only the output mappings come back', async () => {
    await h.deploy('call-isolated-parent.bpmn', 'call-child.bpmn');
    const parent = await h.start('call-isolated-parent', { order: { id: 'o-2' } });

    const job = await h.completeJob('child-work', { result: 'shipped' });
    await h.waitForCompletion(parent.key);

    expect(job.variables).toEqual({ orderId: 'o-2' });
    expect(h.variable(parent.key, 'childResult')).toBe('shipped');
    expect(h.variable(parent.key, 'result')).toBeUndefined();
  });

  it('When the parent is cancelled, then the called instance is terminated', async () => {
    await h.deploy('call-parent.bpmn', 'call-child.bpmn');
    const parent = await h.start('call-parent', { childProcessId: 'call-child', order: { id: 'o-3' } });
    await h.activateJob('child-work');
    const [child] = h.calledInstances(parent.key);

    await h.engine.cancelProcessInstance(parent.processInstanceKey);

    await h.waitForRecord((r) => r.key === child && r.intent === ElementIntent.ELEMENT_TERMINATED);
    await h.waitForRecord((r) => r.key === parent.key && r.intent === ElementIntent.ELEMENT_TERMINATED);
  });

  it('When the called process throws an error it does not catch, then the call activity boundary catches it', async () => {
    await h.deploy('call-parent.bpmn', 'call-child.bpmn');
    const parent = await h.start('call-parent', { childProcessId: 'call-child', order: { id: 'o-4' } });
    const job = await h.activateJob('child-work');

    await h.engine.throwError({ jobKey: job.key, errorCode: 'CHILD_FAILED' });

    await h.waitForElement(parent.key, 'failed');
    expect(h.elementsWith(parent.key, ElementIntent.ELEMENT_TERMINATED)).toContain('call');
  });

  it('When the called process is not deployed, then an incident CALLED_ELEMENT_ERROR is raised', async () => {
    await h.deploy('call-parent.bpmn');
    const parent = await h.start('call-parent', { childProcessId: 'not-deployed', order: { id: 'o-5' } });

    const incident = await h.waitForIncident(parent.key);

    expect(incident.value).toMatchObject({ errorType: 'CALLED_ELEMENT_ERROR', elementId: 'call' });
    expect(h.recordsOf(ValueType.PROCESS_INSTANCE, ElementIntent.ELEMENT_ACTIVATED).some((r) => r.value.elementId === 'call')).toBe(false);
  });
});
