/**
 * Business rule tasks calling a DMN decision (zeebe:calledDecision): the decision is evaluated as
 * the task activates, its result becomes the result variable, and failures raise Zeebe's incidents.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ElementIntent, ValueType } from '../../../infra/engine/core/records.js';
import { CommandRejectedError } from '../../../infra/engine/engine-api.js';
import { startHarness, type EngineHarness } from '../semantics/engine-harness.js';
import { deployFixtures } from './dmn-test-support.js';

let h: EngineHarness;
beforeEach(async () => { h = await startHarness(); });
afterEach(() => h.close());

const evaluations = (intent: string) => h.recordsOf(ValueType.DECISION_EVALUATION, intent);

describe('a business rule task calling a decision', () => {
  it('When the task activates, then the decision is evaluated, its result is the result variable and the instance completes', async () => {
    await deployFixtures(h.engine, 'shipping.dmn', 'decide-shipping.bpmn');
    const instance = await h.start('decide-shipping', { country: 'DE', weight: 3 });
    await h.waitForCompletion(instance.key);
    expect(h.variable(instance.key, 'shipping')).toEqual({ carrier: 'DHL', days: 2 });
  });

  it('When the decision is evaluated, then DECISION_EVALUATION EVALUATED names the decision, the task and every decision evaluated', async () => {
    const { decisions } = await deployFixtures(h.engine, 'shipping.dmn', 'decide-shipping.bpmn');
    const instance = await h.start('decide-shipping', { country: 'US', weight: 3 });
    await h.waitForCompletion(instance.key);
    const [evaluation] = evaluations('EVALUATED');
    const task = h.recordsOf(ValueType.PROCESS_INSTANCE, ElementIntent.ELEMENT_ACTIVATING).find((r) => r.value.elementId === 'decide')!;
    expect(evaluation!.value).toMatchObject({
      decisionId: 'shippingOption', decisionName: 'Shipping option', decisionVersion: 1, decisionKey: Number(decisions[0]!.decisionKey),
      decisionRequirementsId: 'shipping', decisionOutput: '{"carrier":"UPS","days":7}', bpmnProcessId: 'decide-shipping',
      processInstanceKey: instance.key, elementId: 'decide', elementInstanceKey: task.key, evaluationFailureMessage: '', failedDecisionId: '',
    });
    const evaluated = evaluation!.value.evaluatedDecisions as { decisionId: string; decisionKey: number; decisionEvaluationInstanceKey: string }[];
    expect(evaluated.map((d) => [d.decisionId, d.decisionEvaluationInstanceKey])).toEqual([
      ['weightClassDecision', `${evaluation!.key}-1`], ['zone', `${evaluation!.key}-2`], ['shippingOption', `${evaluation!.key}-3`],
    ]);
    expect(evaluated.every((d) => d.decisionKey > 0)).toBe(true);
  });

  it('When the task has output mappings, then the result variable stays local to the task and only the mapped values leave it', async () => {
    await deployFixtures(h.engine, 'discount.dmn', 'decide-discount.bpmn');
    const instance = await h.start('decide-discount', { decision: 'discount', total: 500 });
    await h.waitForCompletion(instance.key);
    expect(h.variable(instance.key, 'discountRate')).toBe(0.1);
    expect(h.variable(instance.key, 'discount')).toBeUndefined();
  });

  it('When the task is job-based (zeebe:taskDefinition), then it creates a job as before and completes with it', async () => {
    await deployFixtures(h.engine, 'decide-by-worker.bpmn');
    const instance = await h.start('decide-by-worker');
    await h.completeJob('rules', { approved: true });
    await h.waitForCompletion(instance.key);
    expect(evaluations('EVALUATED')).toEqual([]);
  });
});

describe('which version a business rule task evaluates', () => {
  it('When a newer version of the decision is deployed, then a task bound to the latest evaluates it', async () => {
    await deployFixtures(h.engine, 'shipping.dmn', 'decide-shipping.bpmn');
    await deployFixtures(h.engine, 'shipping-next-day.dmn');
    const instance = await h.start('decide-shipping', { country: 'DE', weight: 3 });
    await h.waitForCompletion(instance.key);
    expect(h.variable(instance.key, 'shipping')).toEqual({ carrier: 'DHL', days: 1 });
  });

  it.each([
    { process: 'decide-shipping-deployed-with', binding: 'deployment' },
    { process: 'decide-shipping-tagged', binding: 'versionTag v1' },
  ])('When a newer version is deployed, then a task bound by $binding evaluates version 1', async ({ process }) => {
    await deployFixtures(h.engine, 'shipping.dmn', `${process}.bpmn`);
    await deployFixtures(h.engine, 'shipping-next-day.dmn');
    const instance = await h.start(process, { country: 'DE', weight: 3 });
    await h.waitForCompletion(instance.key);
    expect(evaluations('EVALUATED')[0]!.value.decisionVersion).toBe(1);
    expect(h.variable(instance.key, 'shipping')).toEqual({ carrier: 'DHL', days: 2 });
  });
});

describe('incidents of a business rule task', () => {
  it('When no decision has the called id, then a CALLED_DECISION_ERROR incident says so in Zeebe\'s words', async () => {
    await deployFixtures(h.engine, 'decide-shipping.bpmn');
    const instance = await h.start('decide-shipping', { country: 'DE', weight: 3 });
    const incident = await h.waitForIncident(instance.key);
    expect(incident.value).toMatchObject({
      errorType: 'CALLED_DECISION_ERROR', elementId: 'decide',
      errorMessage: "Expected to evaluate decision 'shippingOption', but no decision found for id 'shippingOption'",
    });
  });

  it('When the incident is resolved after the decision was deployed, then the decision is evaluated and the instance completes', async () => {
    await deployFixtures(h.engine, 'decide-shipping.bpmn');
    const instance = await h.start('decide-shipping', { country: 'DE', weight: 3 });
    const incident = await h.waitForIncident(instance.key);
    await deployFixtures(h.engine, 'shipping.dmn');
    await h.engine.resolveIncident(String(incident.key));
    await h.waitForCompletion(instance.key);
    expect(h.variable(instance.key, 'shipping')).toEqual({ carrier: 'DHL', days: 2 });
  });

  it('When the evaluation fails, then DECISION_EVALUATION FAILED and a DECISION_EVALUATION_ERROR incident carry the failure', async () => {
    await deployFixtures(h.engine, 'discount.dmn', 'decide-discount.bpmn');
    const instance = await h.start('decide-discount', { decision: 'discount', total: 1500 });
    const incident = await h.waitForIncident(instance.key);
    const failure = "Expected to evaluate decision 'discount', but multiple values aren't allowed for UNIQUE hit policy. found: 'List(Map(rate -> ValNumber(0.1)), Map(rate -> ValNumber(0.2)))'";
    expect(incident.value).toMatchObject({ errorType: 'DECISION_EVALUATION_ERROR', elementId: 'decide', errorMessage: failure });
    expect(evaluations('FAILED').map((r) => r.value)).toMatchObject([{ decisionId: 'discount', failedDecisionId: 'discount', evaluationFailureMessage: failure, decisionOutput: 'null' }]);
  });

  it('When the variables are fixed and the incident resolved, then the decision is evaluated again and the instance completes', async () => {
    await deployFixtures(h.engine, 'discount.dmn', 'decide-discount.bpmn');
    const instance = await h.start('decide-discount', { decision: 'discount', total: 1500 });
    const incident = await h.waitForIncident(instance.key);
    await h.engine.setVariables({ elementInstanceKey: String(instance.key), variables: { total: 50 } });
    await h.engine.resolveIncident(String(incident.key));
    await h.waitForCompletion(instance.key);
    expect(h.variable(instance.key, 'discountRate')).toBe(0);
  });

  it('When the decision id expression fails, then an EXTRACT_VALUE_ERROR incident is raised', async () => {
    await deployFixtures(h.engine, 'discount.dmn', 'decide-discount.bpmn');
    const instance = await h.start('decide-discount', { total: 50 });
    expect((await h.waitForIncident(instance.key)).value).toMatchObject({ errorType: 'EXTRACT_VALUE_ERROR', elementId: 'decide' });
  });
});

describe('refusal of invalid business rule tasks', () => {
  it.each([
    { elementId: 'neither', reason: "Must have either one 'zeebe:calledDecision' or one 'zeebe:taskDefinition' extension element" },
    { elementId: 'both', reason: "Must have either one 'zeebe:calledDecision' or one 'zeebe:taskDefinition' extension element" },
    { elementId: 'no-result-variable', reason: "Attribute 'resultVariable' must be present and not empty" },
    { elementId: 'untagged', reason: "Attribute 'versionTag' must be present and not empty if 'bindingType' is 'versionTag'" },
    { elementId: 'broken-decision-id', reason: "Expected a valid FEEL expression for the decision id, but 'if then' is not" },
  ])('When $elementId is deployed, then it is refused naming it with Zeebe\'s reason', async ({ elementId, reason }) => {
    const rejection = await h.deploy('invalid-business-rule-tasks.bpmn').then(() => undefined, (e: unknown) => e);
    expect(rejection).toBeInstanceOf(CommandRejectedError);
    expect((rejection as CommandRejectedError).reason).toContain(`- Element: ${elementId}\n    - ERROR: ${reason}`);
  });
});
