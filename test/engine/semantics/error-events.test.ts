import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ElementIntent } from '../../../infra/engine/core/records.js';
import { startHarness, type EngineHarness } from './engine-harness.js';

let h: EngineHarness;
beforeEach(async () => {
  h = await startHarness();
  await h.deploy('error-end-caught-by-boundary.bpmn', 'error-end-caught-by-event-sub-process.bpmn', 'error-end-uncaught.bpmn', 'error-end-code-expression.bpmn');
});
afterEach(() => h.close());

describe('error end events', () => {
  it('When an error end event in a sub-process is thrown, then the error boundary on the sub-process catches it', async () => {
    const instance = await h.start('error-end-caught-by-boundary');
    await h.waitForCompletion(instance.key);
    // As in Zeebe, the throwing end event is terminated together with its sub-process.
    expect(h.elementsWith(instance.key, ElementIntent.ELEMENT_TERMINATED)).toEqual(['rejected', 'review']);
    expect(h.elementsWith(instance.key, ElementIntent.ELEMENT_COMPLETED)).toContain('refused');
    expect(h.elementsWith(instance.key, ElementIntent.ELEMENT_COMPLETED)).not.toContain('approved');
  });

  it('When an error end event is thrown in a process with an error event sub-process, then the event sub-process handles it', async () => {
    const instance = await h.start('error-end-caught-by-event-sub-process');
    await h.waitForCompletion(instance.key);
    expect(h.elementsWith(instance.key, ElementIntent.ELEMENT_COMPLETED)).toEqual(expect.arrayContaining(['rejection-caught', 'rejection-handled', 'handle-rejection']));
  });

  it('When an error end event is not caught, then an incident UNHANDLED_ERROR_EVENT is raised on it', async () => {
    const instance = await h.start('error-end-uncaught');
    const incident = await h.waitForIncident(instance.key);
    expect(incident.value).toMatchObject({ errorType: 'UNHANDLED_ERROR_EVENT', elementId: 'rejected' });
    expect(incident.value.errorMessage).toContain('REJECTED');
  });

  it.each([
    { rejectionCode: 'OUT_OF_STOCK', caughtBy: 'restock' },
    { rejectionCode: 'FRAUD', caughtBy: 'block' },
  ])('When the error code is an expression evaluating to $rejectionCode, then the boundary event for that code catches it', async ({ rejectionCode, caughtBy }) => {
    const instance = await h.start('error-end-code-expression', { rejectionCode });
    await h.waitForCompletion(instance.key);
    expect(h.elementsWith(instance.key, ElementIntent.ELEMENT_COMPLETED)).toContain(caughtBy);
  });

  it('When the error code expression does not evaluate to a string, then an incident EXTRACT_VALUE_ERROR is raised on the end event', async () => {
    const instance = await h.start('error-end-code-expression', { rejectionCode: 42 });
    const incident = await h.waitForIncident(instance.key);
    expect(incident.value).toMatchObject({ errorType: 'EXTRACT_VALUE_ERROR', elementId: 'rejected' });
  });
});
