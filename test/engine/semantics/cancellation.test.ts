import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ElementIntent } from '../../../infra/engine/core/records.js';
import { startHarness, type EngineHarness } from './engine-harness.js';

let h: EngineHarness;
beforeEach(async () => {
  h = await startHarness({ pinClock: true });
  await h.deploy('cancel-waiting.bpmn');
});
afterEach(() => h.close());

/** An instance waiting at a job, a message subscription and a timer at once. */
async function waitingEverywhere(): Promise<number> {
  const instance = await h.start('cancel-waiting', { orderId: 'o-1' });
  await Promise.all(['work', 'payment-received', 'deadline'].map((id) => h.waitForElement(instance.key, id, ElementIntent.ELEMENT_ACTIVATED)));
  return instance.key;
}

function rowCount(table: string): number {
  return (h.engine.state.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
}

describe('cancel process instance', () => {
  it('When an instance is canceled, then it and every active element are terminated', async () => {
    const key = await waitingEverywhere();
    await h.engine.cancelProcessInstance(String(key));
    await h.waitForRecord((r) => r.key === key && r.intent === ElementIntent.ELEMENT_TERMINATED);
    expect(h.elementsWith(key, ElementIntent.ELEMENT_TERMINATED).sort()).toEqual(['cancel-waiting', 'deadline', 'payment-received', 'work']);
  });

  it.each(['jobs', 'message_subscriptions', 'timers', 'element_instances', 'variables'])(
    'When an instance is canceled, then its rows in the %s table are removed',
    async (table) => {
      const key = await waitingEverywhere();
      expect(rowCount(table)).toBeGreaterThan(0);
      await h.engine.cancelProcessInstance(String(key));
      expect(rowCount(table)).toBe(0);
    },
  );

  it('When a canceled instance is canceled again, then it is refused with NOT_FOUND', async () => {
    const key = await waitingEverywhere();
    await h.engine.cancelProcessInstance(String(key));
    await expect(h.engine.cancelProcessInstance(String(key))).rejects.toMatchObject({ rejectionType: 'NOT_FOUND' });
  });
});
