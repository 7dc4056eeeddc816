import { beforeAll, describe, expect, it } from 'vitest';
import type { ParsedDrg } from '../../../infra/engine/dmn/decision-model.js';
import { evaluateDecision } from '../../../infra/engine/dmn/decision-evaluator.js';
import { drgOf } from './dmn-test-support.js';

const NOW = Date.parse('2025-01-01T00:00:00Z');
let hitPolicies: ParsedDrg;
let shipping: ParsedDrg;

beforeAll(async () => {
  hitPolicies = await drgOf('hit-policies.dmn');
  shipping = await drgOf('shipping.dmn');
});

function outputOf(drg: ParsedDrg, decisionId: string, variables: Record<string, unknown>): unknown {
  const result = evaluateDecision(drg, decisionId, variables, NOW);
  if (!result.ok) throw new Error(`Expected '${decisionId}' to evaluate, but: ${result.failureMessage}`);
  return result.output;
}

// Rules of every table: >= 100 → bronze (1 point), >= 500 → silver (5), >= 1000 → gold (10); output values "gold","silver","bronze".
describe('hit policies (hit-policies.dmn)', () => {
  it.each([
    { decisionId: 'first', amount: 1500, output: 'bronze' },
    { decisionId: 'priority', amount: 1500, output: 'gold' },
    { decisionId: 'any', amount: 150, output: 'bronze' },
    { decisionId: 'unique', amount: 150, output: 'bronze' },
    { decisionId: 'collect', amount: 1500, output: ['bronze', 'silver', 'gold'] },
    { decisionId: 'collect', amount: 150, output: ['bronze'] },
    { decisionId: 'ruleOrder', amount: 1500, output: ['bronze', 'silver', 'gold'] },
    { decisionId: 'outputOrder', amount: 1500, output: ['gold', 'silver', 'bronze'] },
    { decisionId: 'collectSum', amount: 1500, output: 16 },
    { decisionId: 'collectMin', amount: 1500, output: 1 },
    { decisionId: 'collectMax', amount: 1500, output: 10 },
    { decisionId: 'collectCount', amount: 1500, output: 3 },
  ])('When $decisionId is evaluated for amount $amount, then its output is $output', ({ decisionId, amount, output }) => {
    expect(outputOf(hitPolicies, decisionId, { amount })).toEqual(output);
  });

  // dmn-scala (Zeebe's DMN engine) answers a table no rule matches with its default output entries, null without any, whatever the hit policy.
  it.each(['unique', 'first', 'priority', 'any', 'collect', 'ruleOrder', 'outputOrder', 'collectSum', 'collectCount'])(
    'When no rule of %s matches, then its output is null',
    (decisionId) => {
      expect(outputOf(hitPolicies, decisionId, { amount: -5 })).toBeNull();
    },
  );

  it.each([
    { decisionId: 'unique', reason: "multiple values aren't allowed for UNIQUE hit policy. found: 'List(Map(label -> ValString(bronze)), Map(label -> ValString(silver)), Map(label -> ValString(gold)))'" },
    { decisionId: 'any', reason: "different values aren't allowed for ANY hit policy. found: 'List(Map(label -> ValString(bronze)), Map(label -> ValString(silver)), Map(label -> ValString(gold)))'" },
  ])('When several rules of $decisionId match with different outputs, then the evaluation fails in dmn-scala\'s words', ({ decisionId, reason }) => {
    const result = evaluateDecision(hitPolicies, decisionId, { amount: 1500 }, NOW);
    expect(result).toMatchObject({ ok: false, failureMessage: `Expected to evaluate decision '${decisionId}', but ${reason}`, failedDecisionId: decisionId });
  });
});

describe('outputs, required decisions and literal expressions (shipping.dmn)', () => {
  it.each([
    { variables: { country: 'DE', weight: 3 }, output: { carrier: 'DHL', days: 2 } },
    { variables: { country: 'DE', weight: 30 }, output: { carrier: 'DB Schenker', days: 4 } },
    { variables: { country: 'US', weight: 3 }, output: { carrier: 'UPS', days: 7 } },
    { variables: { country: 'CH', weight: 3 }, output: { carrier: 'Post', days: 5 } },
  ])('When the shipping option is decided for $variables, then the output is the context $output', ({ variables, output }) => {
    expect(outputOf(shipping, 'shippingOption', variables)).toEqual(output);
  });

  it('When a literal expression decision is evaluated, then its output is the expression\'s value', () => {
    expect(outputOf(shipping, 'weightClassDecision', { weight: 21 })).toBe('heavy');
  });

  it('When no rule matches and the output has a default entry, then the output is the default', () => {
    expect(outputOf(shipping, 'zone', { country: 'US' })).toBe('international');
  });

  it('When a decision requires others, then they are evaluated first and reported in that order with the decision last', () => {
    const result = evaluateDecision(shipping, 'shippingOption', { country: 'DE', weight: 3 }, NOW);
    expect(result.evaluatedDecisions.map((d) => [d.decisionId, d.decisionType, d.decisionOutput])).toEqual([
      ['weightClassDecision', 'LITERAL_EXPRESSION', '"light"'],
      ['zone', 'DECISION_TABLE', '"domestic"'],
      ['shippingOption', 'DECISION_TABLE', '{"carrier":"DHL","days":2}'],
    ]);
  });

  it('When a required decision has a variable, then its result is known by the variable\'s name, else by its id', () => {
    const result = evaluateDecision(shipping, 'shippingOption', { country: 'DE', weight: 30 }, NOW);
    expect(result.evaluatedDecisions.at(-1)!.evaluatedInputs).toEqual([
      { inputId: 'shippingOption-zone', inputName: 'Zone', inputValue: '"domestic"' },
      { inputId: 'shippingOption-weightClass', inputName: 'Weight class', inputValue: '"heavy"' },
    ]);
  });

  it('When rules match, then each is reported with its id, index and evaluated outputs', () => {
    const result = evaluateDecision(shipping, 'shippingOption', { country: 'US', weight: 3 }, NOW);
    expect(result.evaluatedDecisions.at(-1)!.matchedRules).toEqual([{
      ruleId: 'international', ruleIndex: 3,
      evaluatedOutputs: [
        { outputId: 'shippingOption-carrier', outputName: 'carrier', outputValue: '"UPS"' },
        { outputId: 'shippingOption-days', outputName: 'days', outputValue: '7' },
      ],
    }]);
  });

  it('When a required decision fails, then the evaluation fails naming it and reports the decisions evaluated up to it', () => {
    const result = evaluateDecision(shipping, 'shippingOption', { country: 'DE' }, NOW);
    expect(result).toMatchObject({ ok: false, failedDecisionId: 'weightClassDecision' });
    expect(result.ok ? '' : result.failureMessage).toMatch(/^Expected to evaluate decision 'shippingOption', but failed to evaluate expression .*weight is required/);
    expect(result.evaluatedDecisions.map((d) => d.decisionId)).toEqual(['weightClassDecision']);
  });
});
