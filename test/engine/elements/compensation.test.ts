/** Compensation as Zeebe 8.5+ does it (docs: "Compensation events"). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ElementIntent, ValueType } from '../../../infra/engine/core/records.js';
import { startElementsHarness, type ElementsHarness } from './elements-harness.js';

describe('compensation', () => {
  let h: ElementsHarness;
  beforeEach(async () => {
    h = await startElementsHarness();
  });
  afterEach(() => h.close());

  const jobTypes = () => h.recordsOf(ValueType.JOB, 'CREATED').map((r) => r.value.type);

  it('When a compensation throw event is reached, then it invokes the handlers of the completed activities and waits for them', async () => {
    await h.deploy('compensation-throw.bpmn');
    const instance = await h.start('compensation-throw');
    await h.completeJob('charge');
    await h.completeJob('reserve');

    await h.completeJob('refund');
    const release = await h.activateJob('release');
    expect(h.elementsWith(instance.key, ElementIntent.ELEMENT_COMPLETED)).not.toContain('compensate');
    await h.engine.completeJob(release.key);
    await h.waitForCompletion(instance.key);

    expect(h.elementsWith(instance.key, ElementIntent.ELEMENT_COMPLETED)).toEqual(
      expect.arrayContaining(['refund', 'release', 'compensate', 'end']),
    );
  });

  it('When the throw event names an activityRef, then only that activity is compensated', async () => {
    await h.deploy('compensation-activity-ref.bpmn');
    const instance = await h.start('compensation-activity-ref');
    await h.completeJob('charge');
    await h.completeJob('reserve');

    await h.completeJob('refund');
    await h.waitForCompletion(instance.key);

    expect(jobTypes()).toEqual(['charge', 'reserve', 'refund']);
  });

  it('When the process instance ends, then its remaining compensation subscriptions are deleted', async () => {
    await h.deploy('compensation-activity-ref.bpmn');
    const instance = await h.start('compensation-activity-ref');
    await h.completeJob('charge');
    await h.completeJob('reserve');
    await h.completeJob('refund');
    await h.waitForCompletion(instance.key);

    const deleted = h.recordsOf(ValueType.COMPENSATION_SUBSCRIPTION, 'DELETED').map((r) => r.value.elementId);
    expect(deleted).toEqual(['reserve']);
    expect(h.engine.state.compensationSubscriptions.where('process_instance_key = ?', instance.key)).toEqual([]);
  });

  it('When a compensation end event is thrown in an error event sub-process, then the activities of its parent scope are compensated', async () => {
    await h.deploy('compensation-error-event-sub-process.bpmn');
    const instance = await h.start('compensation-error-event-sub-process');
    await h.completeJob('charge');
    const ship = await h.activateJob('ship');

    await h.engine.throwError({ jobKey: ship.key, errorCode: 'SHIP_FAILED' });
    await h.completeJob('refund');
    await h.waitForCompletion(instance.key);

    expect(h.elementsWith(instance.key, ElementIntent.ELEMENT_COMPLETED)).toEqual(expect.arrayContaining(['refund', 'undo', 'on-failure']));
  });

  it('When an embedded sub-process completed, then its activities are compensated from the outer scope', async () => {
    await h.deploy('compensation-sub-process.bpmn');
    const instance = await h.start('compensation-sub-process');
    await h.completeJob('charge');

    await h.completeJob('refund');
    await h.waitForCompletion(instance.key);

    expect(h.elementsWith(instance.key, ElementIntent.ELEMENT_COMPLETED)).toEqual(expect.arrayContaining(['payment', 'refund', 'compensate']));
  });

  it('When the handlers complete, then each compensated subscription is completed once', async () => {
    await h.deploy('compensation-throw.bpmn');
    const instance = await h.start('compensation-throw');
    await h.completeJob('charge');
    await h.completeJob('reserve');
    await h.completeJob('refund');
    await h.completeJob('release');
    await h.waitForCompletion(instance.key);

    expect(h.recordsOf(ValueType.COMPENSATION_SUBSCRIPTION, 'COMPLETED').map((r) => r.value.elementId)).toEqual(['charge', 'reserve']);
  });
});
