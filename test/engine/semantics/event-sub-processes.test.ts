import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ElementIntent } from '../../../infra/engine/core/records.js';
import { startHarness, type EngineHarness } from './engine-harness.js';

let h: EngineHarness;
beforeEach(async () => {
  h = await startHarness({ pinClock: true });
  await h.deploy('event-sub-processes.bpmn');
});
afterEach(() => h.close());

const HOUR = 3_600_000;

async function fulfilling(): Promise<number> {
  const instance = await h.start('event-sub-processes', { orderId: 'o-1' });
  await h.waitForElement(instance.key, 'fulfil', ElementIntent.ELEMENT_ACTIVATED);
  return instance.key;
}

function count(key: number, elementId: string): number {
  return h.elementsWith(key, ElementIntent.ELEMENT_COMPLETED).filter((id) => id === elementId).length;
}

describe('interrupting event sub-processes', () => {
  it('When the message of an interrupting message start event is correlated, then the task is terminated and the instance ends through the event sub-process', async () => {
    const key = await fulfilling();
    await h.engine.publishMessage({ name: 'cancel-requested', correlationKey: 'o-1' });
    await h.waitForCompletion(key);
    expect(h.elementsWith(key, ElementIntent.ELEMENT_TERMINATED)).toEqual(['fulfil']);
    expect(h.elementsWith(key, ElementIntent.ELEMENT_COMPLETED)).toEqual(expect.arrayContaining(['cancelled', 'cancellation']));
  });

  it('When the timer of an interrupting timer start event is due, then the task is terminated and the event sub-process runs', async () => {
    const key = await fulfilling();
    h.engine.clock.add(7 * 24 * HOUR);
    await h.waitForCompletion(key);
    expect(h.elementsWith(key, ElementIntent.ELEMENT_TERMINATED)).toContain('fulfil');
    expect(h.elementsWith(key, ElementIntent.ELEMENT_COMPLETED)).toContain('expired');
  });

  it('When a worker throws the error of an error start event, then the error event sub-process handles it', async () => {
    const key = await fulfilling();
    const job = await h.activateJob('fulfil');
    await h.engine.throwError({ jobKey: job.key, errorCode: 'FULFILMENT_FAILED' });
    await h.waitForCompletion(key);
    expect(h.elementsWith(key, ElementIntent.ELEMENT_COMPLETED)).toEqual(expect.arrayContaining(['failed', 'failure']));
  });

  it('When an interrupting event sub-process has started, then the other event sub-processes no longer trigger', async () => {
    const key = await fulfilling();
    await h.engine.publishMessage({ name: 'cancel-requested', correlationKey: 'o-1' });
    await h.waitForCompletion(key);
    expect([h.engine.state.timers.where('1 = 1'), h.engine.state.messageSubscriptions.where('1 = 1')]).toEqual([[], []]);
  });
});

describe('non-interrupting event sub-processes', () => {
  it('When the message of a non-interrupting start event is correlated twice, then the event sub-process runs twice and the task stays active', async () => {
    const key = await fulfilling();
    await h.engine.publishMessage({ name: 'status-requested', correlationKey: 'o-1' });
    await h.engine.publishMessage({ name: 'status-requested', correlationKey: 'o-1' });
    await h.waitForRecord(() => count(key, 'status-request') === 2);
    expect(h.elementsWith(key, ElementIntent.ELEMENT_TERMINATED)).toEqual([]);
  });

  it('When the non-interrupting timer cycle repeats, then the event sub-process runs each time and the task can still complete', async () => {
    const key = await fulfilling();
    h.engine.clock.add(HOUR);
    await h.waitForRecord(() => count(key, 'reminder') === 1);
    h.engine.clock.add(HOUR);
    await h.waitForRecord(() => count(key, 'reminder') === 2);
    await h.completeJob('fulfil');
    await h.waitForCompletion(key);
  });
});
