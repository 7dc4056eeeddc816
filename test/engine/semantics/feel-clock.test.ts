import { afterEach, beforeEach, expect, it } from 'vitest';
import { ValueType } from '../../../infra/engine/core/records.js';
import { PINNED_NOW, startHarness, type EngineHarness } from './engine-harness.js';

let h: EngineHarness;
beforeEach(async () => {
  h = await startHarness({ pinClock: true });
  await h.deploy('feel-clock.bpmn');
});
afterEach(() => h.close());

const TWO_WEEKS = 14 * 24 * 3_600_000;

it('When FEEL calls now(), then it answers with the engine clock, not the system clock', async () => {
  await h.start('feel-clock');
  const timer = await h.waitForRecord((r) => r.valueType === ValueType.TIMER && r.intent === 'CREATED');
  expect(timer.value.dueDate).toBe(PINNED_NOW + TWO_WEEKS);
});

it('When FEEL calls today(), then it answers with the engine clock date', async () => {
  await h.start('feel-clock');
  const variable = await h.waitForRecord((r) => r.valueType === ValueType.VARIABLE && r.value.name === 'placedOn');
  expect(variable.value.value).toBe(new Date(PINNED_NOW).toISOString().slice(0, 10));
});
