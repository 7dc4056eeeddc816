import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ElementIntent, ValueType } from '../../../infra/engine/core/records.js';
import { PINNED_NOW, startHarness, type EngineHarness } from './engine-harness.js';

let h: EngineHarness;
beforeEach(async () => { h = await startHarness({ pinClock: true }); });
afterEach(() => h.close());

const HOUR = 3_600_000;

function triggered(elementId: string) {
  return h.recordsOf(ValueType.TIMER, 'TRIGGERED').filter((r) => r.value.targetElementId === elementId);
}

describe('intermediate timer catch events', () => {
  beforeEach(async () => { await h.deploy('timer-catch.bpmn'); });

  it('When a duration timer activates, then it is due after the duration from now', async () => {
    const instance = await h.start('timer-catch');
    const created = await h.waitForRecord((r) => r.valueType === ValueType.TIMER && r.intent === 'CREATED' && r.value.targetElementId === 'one-hour');
    expect(created.value.dueDate).toBe(PINNED_NOW + HOUR);
    expect(h.elementsWith(instance.key, ElementIntent.ELEMENT_COMPLETED)).not.toContain('one-hour');
  });

  it('When the clock passes the duration, then the timer triggers and its path continues', async () => {
    const instance = await h.start('timer-catch');
    await h.waitForElement(instance.key, 'one-hour', ElementIntent.ELEMENT_ACTIVATED);
    h.engine.clock.add(HOUR);
    await h.waitForElement(instance.key, 'one-hour-end');
    expect(h.elementsWith(instance.key, ElementIntent.ELEMENT_COMPLETED)).not.toContain('new-year');
  });

  it('When the clock reaches the date of a date timer, then it triggers', async () => {
    const instance = await h.start('timer-catch');
    await h.waitForElement(instance.key, 'new-year', ElementIntent.ELEMENT_ACTIVATED);
    h.engine.clock.pin(Date.parse('2025-01-02T00:00:00Z'));
    await h.waitForCompletion(instance.key);
    expect(h.elementsWith(instance.key, ElementIntent.ELEMENT_COMPLETED)).toEqual(expect.arrayContaining(['one-hour-end', 'new-year-end']));
  });
});

describe('timer start event', () => {
  beforeEach(async () => { await h.deploy('timer-start.bpmn'); });

  it('When a process with a timer start event is deployed, then no instance starts before the first cycle', async () => {
    const created = await h.waitForRecord((r) => r.valueType === ValueType.TIMER && r.intent === 'CREATED');
    expect(created.value).toMatchObject({ targetElementId: 'hourly', dueDate: PINNED_NOW + HOUR });
    expect(h.recordsOf(ValueType.PROCESS_INSTANCE, ElementIntent.ELEMENT_ACTIVATED)).toEqual([]);
  });

  it('When a repeating cycle is due, then one instance starts per repetition and the cycle stops after its repetitions', async () => {
    h.engine.clock.add(HOUR);
    await h.waitForRecord(() => triggered('hourly').length === 1);
    h.engine.clock.add(HOUR);
    await h.waitForRecord(() => triggered('hourly').length === 2);
    const starts = h.recordsOf(ValueType.PROCESS_INSTANCE, ElementIntent.ELEMENT_COMPLETED).filter((r) => r.value.elementId === 'hourly');
    expect(starts).toHaveLength(2);
    expect(h.engine.state.timers.where('1 = 1')).toEqual([]);
  });
});
