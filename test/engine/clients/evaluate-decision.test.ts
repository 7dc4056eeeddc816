/**
 * EvaluateDecision through `@camunda8/sdk`'s gRPC client (`engine.zeebe.evaluateDecision`): what Zeebe's
 * EvaluateDecisionResponse carries, a failed evaluation as an answer, and NOT_FOUND in Zeebe's words.
 */
import { readFileSync } from 'node:fs';
import { status } from '@grpc/grpc-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValueType } from '../../../infra/engine/core/records.js';
import { fixturePath, grpcErrorOf, startRecordedEngine, type RecordedEngine } from './client-test-support.js';

let engine: RecordedEngine;

beforeEach(async () => {
  engine = await startRecordedEngine();
  await engine.zeebe.deployResources(['shipping.dmn', 'discount.dmn'].map((name) => ({ decision: readFileSync(fixturePath(`dmn/${name}`)), name })));
});

afterEach(() => engine.close());

describe('evaluating a decision', () => {
  it('When a decision is evaluated by id, then the response carries its output as JSON and the deployed decision', async () => {
    const response = await engine.zeebe.evaluateDecision({ decisionId: 'shippingOption', variables: { country: 'DE', weight: 3 } });
    expect(response).toMatchObject({
      decisionId: 'shippingOption', decisionName: 'Shipping option', decisionVersion: 1, decisionRequirementsId: 'shipping',
      failedDecisionId: '', failureMessage: '', tenantId: '<default>',
    });
    expect(JSON.parse(response.decisionOutput)).toEqual({ carrier: 'DHL', days: 2 });
  });

  it('When a decision requires others, then evaluatedDecisions lists them first with their inputs and matched rules', async () => {
    const response = await engine.zeebe.evaluateDecision({ decisionId: 'shippingOption', variables: { country: 'US', weight: 3 } });
    expect(response.evaluatedDecisions.map((d) => [d.decisionId, d.decisionType, d.decisionOutput])).toEqual([
      ['weightClassDecision', 'LITERAL_EXPRESSION', '"light"'],
      ['zone', 'DECISION_TABLE', '"international"'],
      ['shippingOption', 'DECISION_TABLE', '{"carrier":"UPS","days":7}'],
    ]);
    expect(response.evaluatedDecisions[2]).toMatchObject({
      evaluatedInputs: [{ inputId: 'shippingOption-zone', inputName: 'Zone', inputValue: '"international"' }, { inputId: 'shippingOption-weightClass', inputName: 'Weight class', inputValue: '"light"' }],
      matchedRules: [{ ruleId: 'international', ruleIndex: 3, evaluatedOutputs: [{ outputId: 'shippingOption-carrier', outputName: 'carrier', outputValue: '"UPS"' }, { outputId: 'shippingOption-days', outputName: 'days', outputValue: '7' }] }],
    });
  });

  it('When a decision is evaluated by key, then that decision is evaluated', async () => {
    const byId = await engine.zeebe.evaluateDecision({ decisionId: 'discount', variables: { total: 500 } });
    const byKey = await engine.zeebe.evaluateDecision({ decisionKey: byId.decisionKey, variables: { total: 50 } });
    expect(byKey).toMatchObject({ decisionId: 'discount', decisionKey: byId.decisionKey, decisionOutput: '0' });
  });

  it('When a decision is evaluated, then DECISION_EVALUATION EVALUATED is written under the response\'s decisionInstanceKey', async () => {
    const response = await engine.zeebe.evaluateDecision({ decisionId: 'discount', variables: { total: 500 } });
    const evaluation = engine.records.find((r) => r.valueType === ValueType.DECISION_EVALUATION && r.intent === 'EVALUATED');
    // zeebe.proto has decisionInstanceKey; the SDK's response type does not name it yet.
    expect(String(evaluation?.key)).toBe((response as { decisionInstanceKey?: string }).decisionInstanceKey);
    expect(evaluation?.value).toMatchObject({ decisionId: 'discount', decisionOutput: '0.1', processInstanceKey: -1, elementId: '' });
  });

  it('When the evaluation fails, then the call succeeds and names the failed decision and the failure', async () => {
    const response = await engine.zeebe.evaluateDecision({ decisionId: 'discount', variables: { total: 1500 } });
    expect(response).toMatchObject({
      decisionId: 'discount', failedDecisionId: 'discount',
      failureMessage: "Expected to evaluate decision 'discount', but multiple values aren't allowed for UNIQUE hit policy. found: 'List(Map(rate -> ValNumber(0.1)), Map(rate -> ValNumber(0.2)))'",
    });
    expect(engine.records.some((r) => r.valueType === ValueType.DECISION_EVALUATION && r.intent === 'FAILED')).toBe(true);
  });
});

describe('decisions that cannot be evaluated', () => {
  it.each([
    { request: { decisionId: 'unknown' }, details: "Expected to evaluate decision 'unknown', but no decision found for id 'unknown'" },
    { request: { decisionKey: '2251799813685999' }, details: "Expected to evaluate decision '2251799813685999', but no decision found for key '2251799813685999'" },
  ])('When $request is evaluated, then the call fails with NOT_FOUND in Zeebe\'s words', async ({ request, details }) => {
    const error = await grpcErrorOf(engine.zeebe.evaluateDecision({ ...request, variables: {} }));
    expect(error).toMatchObject({ code: status.NOT_FOUND, details });
  });

  it('When the decision requirements graph was deleted, then its decisions are not found any more', async () => {
    const { decisionRequirementsKey } = await engine.zeebe.evaluateDecision({ decisionId: 'discount', variables: { total: 5 } });
    await engine.zeebe.deleteResource({ resourceKey: decisionRequirementsKey });
    expect((await grpcErrorOf(engine.zeebe.evaluateDecision({ decisionId: 'discount', variables: {} }))).code).toBe(status.NOT_FOUND);
    expect(engine.records.filter((r) => r.intent === 'DELETED').map((r) => r.valueType)).toEqual([ValueType.DECISION, ValueType.DECISION_REQUIREMENTS, ValueType.RESOURCE_DELETION]);
  });
});
