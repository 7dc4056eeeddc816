/** Signal throw and catch events (docs: "Signal events"). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ElementIntent, ValueType } from '../../../infra/engine/core/records.js';
import { startElementsHarness, type ElementsHarness } from './elements-harness.js';

describe('signal events', () => {
  let h: ElementsHarness;
  beforeEach(async () => {
    h = await startElementsHarness();
  });
  afterEach(() => h.close());

  const signalSubscribed = (elementId: string) => h.waitForRecord((r) => r.valueType === ValueType.SIGNAL_SUBSCRIPTION && r.intent === 'CREATED' && r.value.catchElementId === elementId);

  it('When a signal throw event is passed, then waiting catch events get its input-mapped variables', async () => {
    await h.deploy('signal-throw.bpmn', 'signal-catch.bpmn');
    const catcher = await h.start('signal-catch');
    await signalSubscribed('wait-cancel');

    const thrower = await h.start('signal-throw', { cancelReason: 'customer request' });

    await h.waitForCompletion(catcher.key);
    await h.waitForCompletion(thrower.key);
    expect(h.variable(catcher.key, 'reason')).toBe('customer request');
    expect(h.recordsOf(ValueType.SIGNAL, 'BROADCASTED').map((r) => r.value)).toContainEqual({ signalName: 'order-cancelled', variables: { reason: 'customer request' } });
  });

  it('When a signal end event is reached, then a process with that signal start event is started', async () => {
    await h.deploy('signal-throw.bpmn', 'signal-start.bpmn');

    await h.start('signal-throw', { cancelReason: 'none' });

    await h.waitForRecord((r) => r.valueType === ValueType.PROCESS_INSTANCE && r.intent === ElementIntent.ELEMENT_COMPLETED && r.value.bpmnProcessId === 'signal-start' && r.value.bpmnElementType === 'PROCESS');
  });

  it('When a signal is thrown, then an interrupting boundary and a non-interrupting event sub-process both catch it', async () => {
    await h.deploy('signal-throw.bpmn', 'signal-boundary.bpmn');
    const catcher = await h.start('signal-boundary');
    await h.activateJob('pack');
    await signalSubscribed('pack-cancelled');

    await h.start('signal-throw', { cancelReason: 'out of stock' });

    await h.waitForCompletion(catcher.key);
    expect(h.elementsWith(catcher.key, ElementIntent.ELEMENT_COMPLETED)).toEqual(expect.arrayContaining(['on-cancel', 'pack-cancelled', 'cancelled-end']));
    expect(h.elementsWith(catcher.key, ElementIntent.ELEMENT_TERMINATED)).toEqual(['pack']);
  });
});
