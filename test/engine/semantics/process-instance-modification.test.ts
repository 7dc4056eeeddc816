/**
 * Process instance modification, as Zeebe's: ops repair a running instance by terminating element
 * instances and activating elements. The modification model: prepare (job) → approved (message) →
 * ship (job) → follow-up sub-process (survey → thank).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ElementIntent, ValueType } from '../../../infra/engine/core/records.js';
import type { ModifyProcessInstanceRequest } from '../../../infra/engine/engine-api.js';
import { isElement, startHarness, type EngineHarness } from './engine-harness.js';

let h: EngineHarness;
beforeEach(async () => {
  h = await startHarness({ pinClock: true });
  await h.deploy('modification.bpmn');
});
afterEach(() => h.close());

/** An instance whose token waits at the message catch event `approved`; resolves with its key and the event's instance key. */
async function waitingForApproval(): Promise<{ key: number; approvedKey: number }> {
  const instance = await h.start('modification', { orderId: 'o-1' });
  await h.completeJob('mod-prepare');
  const approved = await h.waitForElement(instance.key, 'approved', ElementIntent.ELEMENT_ACTIVATED);
  return { key: instance.key, approvedKey: approved.key };
}

function modify(processInstanceKey: number, request: Omit<ModifyProcessInstanceRequest, 'processInstanceKey'>): Promise<void> {
  return h.engine.modifyProcessInstance({ processInstanceKey: String(processInstanceKey), ...request });
}

function activated(key: number, elementId: string): Promise<number> {
  return h.waitForElement(key, elementId, ElementIntent.ELEMENT_ACTIVATED).then((record) => record.key);
}

function rowCount(table: string): number {
  return (h.engine.state.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
}

describe('moving a token', () => {
  it('When the token at a message catch event is moved to the next task, then the event is terminated, its subscription removed and the instance goes on from the task with the new variables', async () => {
    const { key, approvedKey } = await waitingForApproval();

    await modify(key, {
      terminateInstructions: [{ elementInstanceKey: String(approvedKey) }],
      activateInstructions: [{ elementId: 'ship', variableInstructions: [{ variables: { approvedBy: 'ops' } }] }],
    });

    expect(h.elementsWith(key, ElementIntent.ELEMENT_TERMINATED)).toEqual(['approved']);
    expect(rowCount('message_subscriptions')).toBe(0);
    const job = await h.activateJob('mod-ship', { fetchVariables: ['approvedBy'] });
    expect(job.variables).toEqual({ approvedBy: 'ops' });
    await h.engine.completeJob(job.key);
    await activated(key, 'survey');
    expect(h.recordsOf(ValueType.PROCESS_INSTANCE_MODIFICATION, 'MODIFIED')).toHaveLength(1);
  });
});

describe('activating an element', () => {
  it('When an element inside a sub-process that is not active is activated, then the sub-process is created and starts at that element, not at its start event, with the variables of each scope', async () => {
    const { key } = await waitingForApproval();

    await modify(key, {
      activateInstructions: [{
        elementId: 'thank',
        variableInstructions: [{ scopeId: 'follow-up', variables: { note: 'late' } }, { scopeId: 'thank', variables: { channel: 'mail' } }],
      }],
    });

    const thankKey = await activated(key, 'thank');
    const followUpKey = await activated(key, 'follow-up');
    expect(h.elementsWith(key, ElementIntent.ELEMENT_ACTIVATED)).not.toContain('follow-up-start');
    expect(h.variable(followUpKey, 'note')).toBe('late');
    expect(h.variable(thankKey, 'channel')).toBe('mail');
    // Nothing was terminated: the token at the catch event still waits.
    expect(h.elementsWith(key, ElementIntent.ELEMENT_TERMINATED)).toEqual([]);
    expect(rowCount('message_subscriptions')).toBe(1);
  });

  it('When two elements of a sub-process that is not active are activated in one modification, then both run in one new instance of it, with the variables of both instructions', async () => {
    const { key } = await waitingForApproval();

    await modify(key, {
      activateInstructions: [
        { elementId: 'survey', variableInstructions: [{ scopeId: 'follow-up', variables: { note: 'late' } }] },
        { elementId: 'thank', variableInstructions: [{ scopeId: 'follow-up', variables: { channel: 'mail' } }] },
      ],
    });

    const followUpKey = await activated(key, 'follow-up');
    const survey = await h.waitForElement(key, 'survey', ElementIntent.ELEMENT_ACTIVATED);
    const thank = await h.waitForElement(key, 'thank', ElementIntent.ELEMENT_ACTIVATED);
    expect([survey.value.flowScopeKey, thank.value.flowScopeKey]).toEqual([followUpKey, followUpKey]);
    expect(h.elementsWith(key, ElementIntent.ELEMENT_ACTIVATED).filter((id) => id === 'follow-up')).toHaveLength(1);
    expect([h.variable(followUpKey, 'note'), h.variable(followUpKey, 'channel')]).toEqual(['late', 'mail']);
  });

  it('When variables name the process as their scope while the element is activated inside a sub-process, then they are the process instance\'s', async () => {
    const { key } = await waitingForApproval();

    await modify(key, { activateInstructions: [{ elementId: 'survey', variableInstructions: [{ scopeId: 'modification', variables: { reopened: true } }] }] });

    await activated(key, 'survey');
    expect(h.variable(key, 'reopened')).toBe(true);
  });

  it('When the element\'s flow scope has two active instances, then the activation must name one as ancestor, and is created in the one named', async () => {
    const { key } = await waitingForApproval();
    await modify(key, { activateInstructions: [{ elementId: 'thank' }] });
    const first = await activated(key, 'follow-up');
    await modify(key, { activateInstructions: [{ elementId: 'follow-up' }] });
    await h.waitForRecord((r) => isElement(key, 'follow-up', ElementIntent.ELEMENT_ACTIVATED)(r) && r.key !== first);

    await expect(modify(key, { activateInstructions: [{ elementId: 'survey' }] })).rejects.toMatchObject({
      rejectionType: 'INVALID_ARGUMENT',
      reason: expect.stringContaining("more than one active instance: 'follow-up'"),
    });
    await modify(key, { activateInstructions: [{ elementId: 'survey', ancestorElementInstanceKey: String(first) }] });

    await h.waitForRecord((r) => isElement(key, 'survey', ElementIntent.ELEMENT_ACTIVATED)(r) && r.value.flowScopeKey === first);
  });
});

describe('terminating element instances', () => {
  it('When the only active element instance is terminated, then the process instance is terminated with it', async () => {
    const { key, approvedKey } = await waitingForApproval();

    await modify(key, { terminateInstructions: [{ elementInstanceKey: String(approvedKey) }] });

    expect(h.elementsWith(key, ElementIntent.ELEMENT_TERMINATED)).toEqual(['approved', 'modification']);
    expect(rowCount('element_instances')).toBe(0);
    await expect(h.engine.cancelProcessInstance(String(key))).rejects.toMatchObject({ rejectionType: 'NOT_FOUND' });
  });

  it('When the last active element of a sub-process is terminated, then the sub-process ends with it and the rest of the instance goes on', async () => {
    const { key } = await waitingForApproval();
    await modify(key, { activateInstructions: [{ elementId: 'thank' }] });
    const thankKey = await activated(key, 'thank');

    await modify(key, { terminateInstructions: [{ elementInstanceKey: String(thankKey) }] });

    expect(h.elementsWith(key, ElementIntent.ELEMENT_TERMINATED)).toEqual(['thank', 'follow-up']);
    expect(rowCount('jobs')).toBe(0);
    await h.engine.publishMessage({ name: 'approved', correlationKey: 'o-1' });
    await activated(key, 'ship');
  });

  it('When a sub-process is terminated, then everything inside it is terminated first, innermost last to end', async () => {
    const { key, approvedKey } = await waitingForApproval();
    await modify(key, { activateInstructions: [{ elementId: 'thank' }] });
    const followUpKey = await activated(key, 'follow-up');
    await activated(key, 'thank');

    await modify(key, { terminateInstructions: [{ elementInstanceKey: String(followUpKey) }, { elementInstanceKey: String(approvedKey) }] });

    const terminating = h.elementsWith(key, ElementIntent.ELEMENT_TERMINATING);
    const terminated = h.elementsWith(key, ElementIntent.ELEMENT_TERMINATED);
    expect(terminating).toEqual(['follow-up', 'thank', 'approved', 'modification']);
    expect(terminated).toEqual(['thank', 'follow-up', 'approved', 'modification']);
    expect(rowCount('jobs') + rowCount('element_instances') + rowCount('message_subscriptions')).toBe(0);
  });
});

describe('a modification that is refused', () => {
  it.each([
    ['an element that is not in the process', { activateInstructions: [{ elementId: 'nowhere' }] }, "an element that could not be found: 'nowhere'"],
    ['a start event', { activateInstructions: [{ elementId: 'start' }] }, "elements that are unsupported: 'start'. The activation of elements with type 'START_EVENT' is not supported"],
    ['an unknown element instance to terminate', { terminateInstructions: [{ elementInstanceKey: '42' }] }, "an element instance that could not be found: '42'"],
    ['variables for a scope that is not the element\'s', { activateInstructions: [{ elementId: 'ship', variableInstructions: [{ scopeId: 'prepare', variables: { x: 1 } }] }] }, "doesn't belong to the activating element's flow scope"],
  ] as [string, Omit<ModifyProcessInstanceRequest, 'processInstanceKey'>, string][])('When it activates or terminates %s, then it is refused with INVALID_ARGUMENT and nothing changes', async (_case, request, reason) => {
    const { key, approvedKey } = await waitingForApproval();
    const before = h.records.filter((r) => r.valueType === ValueType.PROCESS_INSTANCE).length;
    // A valid instruction beside the invalid one is not carried out either.
    const withValidPart = { ...request, terminateInstructions: [...(request.terminateInstructions ?? []), { elementInstanceKey: String(approvedKey) }] };

    await expect(modify(key, withValidPart)).rejects.toMatchObject({ rejectionType: 'INVALID_ARGUMENT', reason: expect.stringContaining(reason) });

    expect(h.records.filter((r) => r.valueType === ValueType.PROCESS_INSTANCE).length).toBe(before);
    expect(rowCount('message_subscriptions')).toBe(1);
  });

  it('When the process instance does not exist, then it is refused with NOT_FOUND', async () => {
    await expect(modify(2 ** 51 + 999, { activateInstructions: [{ elementId: 'ship' }] })).rejects.toMatchObject({
      rejectionType: 'NOT_FOUND',
      reason: `Expected to modify process instance but no process instance found with key '${2 ** 51 + 999}'`,
    });
  });
});
