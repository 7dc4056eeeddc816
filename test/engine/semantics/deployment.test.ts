import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CommandRejectedError, RejectionType } from '../../../infra/engine/engine-api.js';
import { startHarness, type EngineHarness } from './engine-harness.js';

let h: EngineHarness;
beforeEach(async () => { h = await startHarness(); });
afterEach(() => h.close());

async function rejectionOf(call: Promise<unknown>): Promise<CommandRejectedError> {
  const error = await call.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(CommandRejectedError);
  return error as CommandRejectedError;
}

describe('deployment versioning', () => {
  it('When a process is deployed for the first time, then it gets version 1', async () => {
    const deployment = await h.deploy('start-end.bpmn');
    expect(deployment.processes).toMatchObject([{ bpmnProcessId: 'start-end', version: 1 }]);
  });

  it('When a changed resource is deployed for the same process id, then it gets the next version and a new key', async () => {
    const first = await h.deploy('start-end.bpmn');
    const second = await h.deploy('start-end-changed.bpmn');
    expect(second.processes[0]).toMatchObject({ bpmnProcessId: 'start-end', version: 2 });
    expect(second.processes[0]!.processDefinitionKey).not.toBe(first.processes[0]!.processDefinitionKey);
  });

  it('When an identical resource is deployed again, then it keeps its version and key', async () => {
    const first = await h.deploy('start-end.bpmn');
    const again = await h.deploy('start-end.bpmn');
    expect(again.processes[0]).toMatchObject({ version: 1, processDefinitionKey: first.processes[0]!.processDefinitionKey });
  });

  it('When an instance is created by process id, then the latest version runs', async () => {
    await h.deploy('start-end.bpmn');
    await h.deploy('start-end-changed.bpmn');
    const instance = await h.start('start-end');
    expect(instance.version).toBe(2);
    await h.waitForElement(instance.key, 'finished');
  });
});

describe('refusal of invalid models', () => {
  it.each([
    { fixture: 'invalid-missing-task-definition.bpmn', elementId: 'work-without-type', reason: /zeebe:taskDefinition/ },
    { fixture: 'invalid-complex-gateway.bpmn', elementId: 'complex-decision', reason: /ComplexGateway.*not supported/ },
    { fixture: 'invalid-compensation-event-sub-process.bpmn', elementId: 'compensation-start', reason: /compensation event sub-process/i },
    { fixture: 'invalid-feel.bpmn', elementId: 'broken-condition', reason: /FEEL/ },
    { fixture: 'invalid-inclusive-gateway.bpmn', elementId: 'unconditioned-to-end', reason: /Must have a condition/ },
    { fixture: 'invalid-compensation-boundary-with-flow.bpmn', elementId: 'undo-charge', reason: /compensation association and no outgoing sequence flows/ },
    { fixture: 'invalid-error-catch-code-expression.bpmn', elementId: 'charge-declined', reason: /errorCode of the error catch event is not allowed to be an expression/ },
  ])('When $fixture is deployed, then it is refused with INVALID_ARGUMENT naming $elementId', async ({ fixture, elementId, reason }) => {
    const rejection = await rejectionOf(h.deploy(fixture));
    expect(rejection.rejectionType).toBe(RejectionType.INVALID_ARGUMENT);
    expect(rejection.reason).toContain(`Element: ${elementId}`);
    expect(rejection.reason).toMatch(reason);
  });

  it('When two resources of one deployment define the same process id, then the deployment is refused naming both and nothing is deployed', async () => {
    const rejection = await rejectionOf(h.deploy('start-end.bpmn', 'start-end-changed.bpmn'));
    expect(rejection.rejectionType).toBe(RejectionType.INVALID_ARGUMENT);
    expect(rejection.reason).toBe("Expected to deploy new resources, but encountered the following errors:\nDuplicated process id in resources 'start-end.bpmn' and 'start-end-changed.bpmn'");
    expect((await rejectionOf(h.start('start-end'))).rejectionType).toBe(RejectionType.NOT_FOUND);
  });

  it('When a deployment holds a valid and an invalid resource, then nothing of it is deployed', async () => {
    await rejectionOf(h.deploy('start-end.bpmn', 'invalid-complex-gateway.bpmn'));
    const rejection = await rejectionOf(h.start('start-end'));
    expect(rejection.rejectionType).toBe(RejectionType.NOT_FOUND);
  });
});

const staticValue = (text: string) => `Expected expression but found static value '${text}'. An expression must start with '=' (e.g. '=${text}').`;
const PATH_PATTERN = '[a-zA-Z_][a-zA-Z0-9_]*(\\.[a-zA-Z_][a-zA-Z0-9_]*)*';

describe('what Zeebe refuses at deployment, naming the element', () => {
  it.each([
    { fixture: 'invalid-timers.bpmn', elementId: 'typo-duration', reason: "Invalid timer duration expression (Invalid duration format 'PT5X' for expression 'PT5X'.)" },
    { fixture: 'invalid-timers.bpmn', elementId: 'unparsable-date', reason: "Invalid timer date expression (Invalid date-time format 'next monday' for expression 'next monday'.)" },
    { fixture: 'invalid-timers.bpmn', elementId: 'unparsable-cycle', reason: "Invalid timer cycle expression (Invalid cycle format 'R3/every-minute' for expression 'R3/every-minute'.)" },
    { fixture: 'invalid-timers.bpmn', elementId: 'feel-start-cycle', reason: 'Invalid timer cycle expression (Cron expression contains 2 parts but we expect one of [6])' },
    { fixture: 'invalid-timers.bpmn', elementId: 'cron-start', reason: 'Invalid timer cycle expression (Cron expression contains 5 parts but we expect one of [6])' },
    { fixture: 'invalid-timers.bpmn', elementId: 'out-of-range-cycle', reason: 'Invalid timer cycle expression (Failed to parse cron expression. Value 25 not in range [0, 23])' },
    { fixture: 'invalid-expressions.bpmn', elementId: 'static-condition', reason: staticValue('amount > 100') },
    { fixture: 'invalid-expressions.bpmn', elementId: 'static-key', reason: staticValue('orderId') },
    { fixture: 'invalid-expressions.bpmn', elementId: 'static-output', reason: staticValue('done') },
    { fixture: 'invalid-expressions.bpmn', elementId: 'static-collection', reason: staticValue('items') },
    { fixture: 'invalid-expressions.bpmn', elementId: 'static-script', reason: staticValue('1 + 1') },
    { fixture: 'invalid-expressions.bpmn', elementId: 'spaced-target', reason: `Expected path expression 'order total' but doesn't match the pattern '${PATH_PATTERN}'.` },
    { fixture: 'invalid-expressions.bpmn', elementId: 'reserved-target', reason: "Expected path expression 'null' but is one of the reserved words (null, true, false, function, if, then, else, for, between, instance, of)." },
    { fixture: 'invalid-expressions.bpmn', elementId: 'variable-message-start', reason: "Expected constant expression of type String for message name '=orderKind', but was NULL" },
    { fixture: 'invalid-expressions.bpmn', elementId: 'variable-signal-start', reason: "Expected constant expression of type String for signal name '=region', but was NULL" },
    { fixture: 'invalid-event-scopes.bpmn', elementId: 'invalid-event-scopes', reason: 'Multiple none start events are not allowed' },
    { fixture: 'invalid-event-scopes.bpmn', elementId: 'invalid-event-scopes', reason: "Multiple signal event definitions with the same name 'restock' are not allowed." },
    { fixture: 'invalid-event-scopes.bpmn', elementId: 'invalid-event-scopes', reason: 'The same scope can not contain more than one escalation catch event without escalation code. An escalation catch event without escalation code catches all escalations.' },
    { fixture: 'invalid-event-scopes.bpmn', elementId: 'invalid-event-scopes', reason: "Can't find an catch link event for the throw link event with the name 'nowhere'." },
    { fixture: 'invalid-event-scopes.bpmn', elementId: 'invalid-event-scopes', reason: "Multiple intermediate catch link event definitions with the same name 'landing' are not allowed." },
    { fixture: 'invalid-event-scopes.bpmn', elementId: 'charge', reason: "Multiple error catch events with the same error code 'CARD_DECLINED' are not supported on the same scope." },
    { fixture: 'invalid-event-scopes.bpmn', elementId: 'charge', reason: "Multiple message event definitions with the same name 'order-cancelled' are not allowed." },
    { fixture: 'invalid-event-scopes.bpmn', elementId: 'soft-failure', reason: 'Non-Interrupting event of this type is not allowed' },
    { fixture: 'invalid-event-scopes.bpmn', elementId: 'non-interrupting-error-start', reason: 'Non-Interrupting event of this type is not allowed' },
    { fixture: 'invalid-event-scopes.bpmn', elementId: 'hourly-reminder', reason: 'Interrupting timer event with time cycle is not allowed.' },
    { fixture: 'invalid-event-scopes.bpmn', elementId: 'escalated', reason: 'An escalation boundary event should only be attached to a subprocess, or a call activity.' },
    { fixture: 'invalid-event-scopes.bpmn', elementId: 'prepare', reason: 'Conditional sequence flows are only supported at exclusive or inclusive gateway' },
    { fixture: 'invalid-event-scopes.bpmn', elementId: 'empty-sub-process', reason: 'Must have exactly one start event' },
    { fixture: 'invalid-missing-id.bpmn', elementId: 'invalid-missing-id > serviceTask', reason: 'Element id must be present and not empty.' },
    { fixture: 'invalid-shared-start-message.bpmn', elementId: 'order-placed', reason: 'A message cannot be referred by more than one start event' },
    { fixture: 'invalid-deployment-shapes.bpmn', elementId: 'two-task-definitions', reason: "Must have exactly one 'zeebe:taskDefinition' extension element" },
    { fixture: 'invalid-deployment-shapes.bpmn', elementId: 'escalated-to-nobody-definition', reason: 'Must reference an escalation' },
    { fixture: 'invalid-deployment-shapes.bpmn', elementId: 'end-with-outgoing', reason: 'End events must not have outgoing sequence flows to other elements.' },
  ])('When $elementId is not what Zeebe accepts, then $fixture is refused naming it with Zeebe\'s reason', async ({ fixture, elementId, reason }) => {
    const rejection = await rejectionOf(h.deploy(fixture));
    expect(rejection.rejectionType).toBe(RejectionType.INVALID_ARGUMENT);
    expect(rejection.reason).toContain(`- Element: ${elementId}\n    - ERROR: ${reason}`);
  });

  it('When two elements share an id, then the resource is refused naming the id, as by Zeebe\'s schema validation', async () => {
    const rejection = await rejectionOf(h.deploy('invalid-duplicate-ids.bpmn'));
    expect(rejection.rejectionType).toBe(RejectionType.INVALID_ARGUMENT);
    expect(rejection.reason).toBe("Expected to deploy new resources, but encountered the following errors:\n'invalid-duplicate-ids.bpmn': cvc-id.2: There are multiple occurrences of ID value 'shipped'.");
  });

  it('When two start events share one message, then only the message is refused, not the process for a repeated name', async () => {
    const rejection = await rejectionOf(h.deploy('invalid-shared-start-message.bpmn'));
    expect(rejection.reason).not.toContain('Multiple message event definitions');
  });

  it('When a start event has incoming flows, then it is deployed, as Zeebe has no such check', async () => {
    const deployment = await h.deploy('start-with-incoming-flow.bpmn');
    expect(deployment.processes).toMatchObject([{ bpmnProcessId: 'start-with-incoming-flow' }]);
  });

  it("When a timer is a FEEL expression of the instance's variables, then it is not evaluated at deployment", async () => {
    const rejection = await rejectionOf(h.deploy('invalid-timers.bpmn'));
    expect(rejection.reason).not.toContain('variable-duration');
  });

  it('When an input is a static value and mapping targets are variable paths, then they are accepted', async () => {
    const rejection = await rejectionOf(h.deploy('invalid-expressions.bpmn'));
    expect(rejection.reason).not.toContain('valid-mappings');
  });
});
