/** Escalation events (docs: "Escalation events"): caught nearest scope first; uncaught ones just continue. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ElementIntent, ValueType } from '../../../infra/engine/core/records.js';
import { startElementsHarness, type ElementsHarness } from './elements-harness.js';

describe('escalation events', () => {
  let h: ElementsHarness;
  beforeEach(async () => {
    h = await startElementsHarness();
  });
  afterEach(() => h.close());

  it('When an escalation is caught by a non-interrupting boundary event, then both the boundary path and the sub-process go on', async () => {
    await h.deploy('escalation-non-interrupting.bpmn');
    const instance = await h.start('escalation-non-interrupting');

    await h.waitForCompletion(instance.key);

    expect(h.elementsWith(instance.key, ElementIntent.ELEMENT_COMPLETED)).toEqual(expect.arrayContaining(['report-late', 'late', 'notify', 'delivery', 'end']));
  });

  it.each([
    { days: 5, caught: true },
    { days: 1, caught: false },
  ])('When the escalation code is an expression ($days days late), then the code it evaluates to is thrown', async ({ days, caught }) => {
    await h.deploy('escalation-code-expression.bpmn');
    const instance = await h.start('escalation-code-expression', { days });

    await h.waitForCompletion(instance.key);

    expect(h.recordsOf(ValueType.ESCALATION, caught ? 'ESCALATED' : 'NOT_ESCALATED')[0]?.value).toMatchObject({ escalationCode: caught ? 'LATE' : 'ON_TIME' });
    expect(h.elementsWith(instance.key, ElementIntent.ELEMENT_COMPLETED).includes('notify')).toBe(caught);
  });

  it('When an escalation end event is caught by an interrupting boundary event, then the sub-process is terminated', async () => {
    await h.deploy('escalation-interrupting.bpmn');
    const instance = await h.start('escalation-interrupting');

    await h.waitForCompletion(instance.key);

    expect(h.elementsWith(instance.key, ElementIntent.ELEMENT_TERMINATED)).toEqual(expect.arrayContaining(['report-late', 'delivery']));
    expect(h.elementsWith(instance.key, ElementIntent.ELEMENT_COMPLETED)).toContain('notify');
    expect(h.elementsWith(instance.key, ElementIntent.ELEMENT_COMPLETED)).not.toContain('end');
  });

  it('When an escalation is thrown at process level, then a non-interrupting escalation event sub-process catches it', async () => {
    await h.deploy('escalation-event-sub-process.bpmn');
    const instance = await h.start('escalation-event-sub-process');

    await h.waitForCompletion(instance.key);

    expect(h.elementsWith(instance.key, ElementIntent.ELEMENT_COMPLETED)).toEqual(expect.arrayContaining(['on-late', 'end']));
  });

  it('When no catch event matches the escalation, then the instance continues without an incident', async () => {
    await h.deploy('escalation-uncaught.bpmn');
    const instance = await h.start('escalation-uncaught');

    await h.waitForCompletion(instance.key);

    expect(h.recordsOf(ValueType.ESCALATION, 'NOT_ESCALATED')).toHaveLength(1);
    expect(h.recordsOf(ValueType.INCIDENT, 'CREATED')).toHaveLength(0);
  });
});
