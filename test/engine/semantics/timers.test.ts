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

  it('When the clock jumps past several occurrences of a cycle, then it fires once and the next is a full interval later, the missed ones not made up', async () => {
    h.engine.clock.add(5 * HOUR);
    await h.waitForRecord(() => triggered('hourly').length === 1);

    await h.waitForRecord(() => dueDates('hourly').length === 2);
    expect(dueDates('hourly')).toEqual([PINNED_NOW + HOUR, PINNED_NOW + 6 * HOUR]);
    expect(triggered('hourly')).toHaveLength(1);
  });
});

/** PINNED_NOW, 2025-01-01, is a Wednesday. */
const at = (time: string) => Date.parse(`2025-01-${time}Z`);

function dueDates(elementId: string): number[] {
  return h.recordsOf(ValueType.TIMER, 'CREATED').filter((r) => r.value.targetElementId === elementId).map((r) => r.value.dueDate as number);
}

describe('cron timer cycles', () => {
  it('When a timer start event has a cron cycle, then an instance starts at each time it matches, the next counted from the clock', async () => {
    await h.deploy('timer-start-cron.bpmn');
    expect(dueDates('office-hours')).toEqual([at('01T09:00:00')]);
    h.engine.clock.pin(at('01T09:00:00'));
    await h.waitForRecord(() => triggered('office-hours').length === 1);
    h.engine.clock.pin(at('01T17:30:00'));
    await h.waitForRecord(() => triggered('office-hours').length === 2);
    await h.waitForRecord(() => dueDates('office-hours').length === 3);
    // The 10:00 timer fired at 17:30: the hours it missed are skipped, as Zeebe reschedules from the clock.
    expect(dueDates('office-hours')).toEqual([at('01T09:00:00'), at('01T10:00:00'), at('02T09:00:00')]);
    const starts = h.recordsOf(ValueType.PROCESS_INSTANCE, ElementIntent.ELEMENT_COMPLETED).filter((r) => r.value.elementId === 'office-hours');
    expect(starts).toHaveLength(2);
  });

  describe('inside an instance', () => {
    beforeEach(async () => { await h.deploy('timer-cron-reminders.bpmn'); });

    it.each([
      { kind: 'non-interrupting boundary timer', elementId: 'quarter-hourly', path: 'reminded', every: HOUR / 4 },
      { kind: 'non-interrupting event sub-process timer (@hourly)', elementId: 'hourly', path: 'reported', every: HOUR },
    ])('When a $kind has a cron cycle, then it fires each time it matches while the task waits', async ({ elementId, path, every }) => {
      const instance = await h.start('timer-cron-reminders');
      await h.waitForElement(instance.key, 'pack', ElementIntent.ELEMENT_ACTIVATED);
      for (const times of [1, 2, 3]) {
        h.engine.clock.add(every);
        await h.waitForRecord(() => h.elementsWith(instance.key, ElementIntent.ELEMENT_COMPLETED).filter((id) => id === path).length === times);
      }
      expect(dueDates(elementId).slice(0, 4)).toEqual([1, 2, 3, 4].map((n) => PINNED_NOW + n * every));
      expect(h.elementsWith(instance.key, ElementIntent.ELEMENT_TERMINATED)).toEqual([]);
    });

    it('When the task completes, then its cron boundary timer is canceled and fires no more', async () => {
      const instance = await h.start('timer-cron-reminders');
      await h.waitForElement(instance.key, 'pack', ElementIntent.ELEMENT_ACTIVATED);
      await h.completeJob('pack');
      await h.waitForCompletion(instance.key);
      expect(h.engine.state.timers.where('1 = 1')).toEqual([]);
    });
  });
});
