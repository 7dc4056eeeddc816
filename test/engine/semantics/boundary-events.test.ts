import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ElementIntent, ValueType } from '../../../infra/engine/core/records.js';
import { startHarness, type EngineHarness } from './engine-harness.js';

let h: EngineHarness;
beforeEach(async () => {
  h = await startHarness({ pinClock: true });
  await h.deploy('boundary-events.bpmn', 'boundary-implicit-end.bpmn');
});
afterEach(() => h.close());

const HOUR = 3_600_000;

async function shipping(): Promise<number> {
  const instance = await h.start('boundary-events', { orderId: 'o-1' });
  await h.waitForElement(instance.key, 'ship', ElementIntent.ELEMENT_ACTIVATED);
  return instance.key;
}

function completed(key: number): string[] {
  return h.elementsWith(key, ElementIntent.ELEMENT_COMPLETED);
}

describe('interrupting boundary events', () => {
  it('When the interrupting timer is due, then the task is terminated, its job canceled and the timer path taken', async () => {
    const key = await shipping();
    h.engine.clock.add(24 * HOUR);
    await h.waitForCompletion(key);
    expect(h.elementsWith(key, ElementIntent.ELEMENT_TERMINATED)).toEqual(['ship']);
    expect(completed(key)).toContain('late');
    expect(h.recordsOf(ValueType.JOB, 'CANCELED')).toHaveLength(1);
  });

  it('When the interrupting message is correlated, then the task is terminated and the message path taken', async () => {
    const key = await shipping();
    await h.engine.publishMessage({ name: 'order-cancelled', correlationKey: 'o-1' });
    await h.waitForCompletion(key);
    expect(h.elementsWith(key, ElementIntent.ELEMENT_TERMINATED)).toEqual(['ship']);
    expect(completed(key)).toContain('cancelled');
  });

  it('When the task completes, then the subscriptions and timers of its boundary events are closed', async () => {
    const key = await shipping();
    await h.completeJob('ship');
    await h.waitForCompletion(key);
    expect([h.engine.state.timers.where('1 = 1'), h.engine.state.messageSubscriptions.where('1 = 1')]).toEqual([[], []]);
  });
});

describe('non-interrupting boundary events', () => {
  it('When the non-interrupting message is correlated, then its path runs while the task stays active', async () => {
    const key = await shipping();
    await h.engine.publishMessage({ name: 'address-changed', correlationKey: 'o-1' });
    await h.waitForElement(key, 'address-noted');
    expect(h.elementsWith(key, ElementIntent.ELEMENT_TERMINATED)).toEqual([]);
    await h.completeJob('ship');
    await h.waitForElement(key, 'shipped');
  });

  it('When a non-interrupting cycle timer repeats, then each repetition takes its path and the task stays active', async () => {
    const key = await shipping();
    h.engine.clock.add(HOUR);
    await h.waitForRecord(() => completed(key).filter((id) => id === 'reminded').length === 1);
    h.engine.clock.add(HOUR);
    await h.waitForRecord(() => completed(key).filter((id) => id === 'reminded').length === 2);
    expect(h.engine.state.timers.where('1 = 1').map((t) => t.value.targetElementId)).toEqual(['ship-deadline']);
    expect(h.elementsWith(key, ElementIntent.ELEMENT_TERMINATED)).toEqual([]);
  });
});

describe('boundary events without outgoing flows', () => {
  it('When a non-interrupting cycle timer without outgoing flows fires, then each firing ends there and the task goes on', async () => {
    const instance = await h.start('boundary-implicit-end');
    await h.waitForElement(instance.key, 'ship', ElementIntent.ELEMENT_ACTIVATED);
    for (let firing = 1; firing <= 3; firing++) {
      h.engine.clock.add(HOUR);
      if (firing <= 2) await h.waitForRecord(() => completed(instance.key).filter((id) => id === 'reminder').length === firing);
    }
    await h.completeJob('ship');
    await h.waitForCompletion(instance.key);
    expect(completed(instance.key).filter((id) => id === 'reminder')).toHaveLength(2);
    expect(h.recordsOf(ValueType.INCIDENT, 'CREATED')).toEqual([]);
  });
});
