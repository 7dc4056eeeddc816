/**
 * Evaluates a decision table as dmn-scala does: input expressions first, then every rule's input
 * entries against them, the matched rules' output entries, and the hit policy over those; with no
 * rule matched, the outputs' default entries (null without any). What was evaluated is reported
 * as Zeebe's evaluated inputs and matched rules.
 */
import { toJson } from '../feel/feel-evaluator.js';
import { HitPolicy, type DecisionRule, type DecisionTable } from './decision-model.js';
import { evaluateExpression, testInputEntry, type FeelResult } from './dmn-feel.js';
import { HIT_POLICIES, outputsValue, type RuleOutputs } from './hit-policies.js';

/** Values in evaluated inputs and outputs are JSON text, as in Zeebe's records. */
export interface EvaluatedInput { inputId: string; inputName: string; inputValue: string }
export interface EvaluatedOutput { outputId: string; outputName: string; outputValue: string }
export interface MatchedRule { ruleId: string; ruleIndex: number; evaluatedOutputs: EvaluatedOutput[] }

export interface TableOutcome {
  result: FeelResult;
  evaluatedInputs: EvaluatedInput[];
  matchedRules: MatchedRule[];
}

type Variables = Record<string, unknown>;

export const jsonText = (value: unknown): string => JSON.stringify(toJson(value));

function inputValues(table: DecisionTable, variables: Variables, now: number): { ok: true; values: unknown[] } | { ok: false; failure: string } {
  const values: unknown[] = [];
  for (const input of table.inputs) {
    const result = evaluateExpression(input.expression, variables, now);
    if (!result.ok) return result;
    values.push(result.value);
  }
  return { ok: true, values };
}

function matches(rule: DecisionRule, inputs: unknown[], variables: Variables, now: number): FeelResult {
  for (const [i, entry] of rule.inputEntries.entries()) {
    const result = testInputEntry(entry, inputs[i], variables, now);
    // null (a comparison with null) does not match, as in dmn-scala.
    if (!result.ok || result.value !== true) return result.ok ? { ok: true, value: false } : result;
  }
  return { ok: true, value: true };
}

function ruleOutputs(table: DecisionTable, rule: DecisionRule, variables: Variables, now: number): { ok: true; outputs: RuleOutputs } | { ok: false; failure: string } {
  const outputs: RuleOutputs = [];
  for (const [i, output] of table.outputs.entries()) {
    const result = evaluateExpression(rule.outputEntries[i] ?? 'null', variables, now);
    if (!result.ok) return result;
    outputs.push([output.name, result.value]);
  }
  return { ok: true, outputs };
}

function defaultOutputs(table: DecisionTable, variables: Variables, now: number): FeelResult {
  const outputs: RuleOutputs = [];
  for (const output of table.outputs) {
    if (output.defaultEntry === undefined) continue;
    const result = evaluateExpression(output.defaultEntry, variables, now);
    if (!result.ok) return result;
    outputs.push([output.name, result.value]);
  }
  return { ok: true, value: outputs.length === 0 ? null : outputsValue(outputs) };
}

function matchedRuleOf(table: DecisionTable, rule: DecisionRule, outputs: RuleOutputs): MatchedRule {
  return {
    ruleId: rule.id, ruleIndex: table.rules.indexOf(rule) + 1,
    evaluatedOutputs: outputs.map(([name, value], i) => ({ outputId: table.outputs[i]!.id, outputName: name ?? '', outputValue: jsonText(value) })),
  };
}

export function evaluateDecisionTable(table: DecisionTable, variables: Variables, now: number): TableOutcome {
  const inputs = inputValues(table, variables, now);
  if (!inputs.ok) return { result: inputs, evaluatedInputs: [], matchedRules: [] };
  const evaluatedInputs = table.inputs.map((input, i) => ({ inputId: input.id, inputName: input.label ?? '', inputValue: jsonText(inputs.values[i]) }));
  const matched: DecisionRule[] = [];
  for (const rule of table.rules) {
    const result = matches(rule, inputs.values, variables, now);
    if (!result.ok) return { result, evaluatedInputs, matchedRules: [] };
    if (result.value === true) matched.push(rule);
  }
  if (matched.length === 0) return { result: defaultOutputs(table, variables, now), evaluatedInputs, matchedRules: [] };
  const hits = table.hitPolicy === HitPolicy.FIRST ? matched.slice(0, 1) : matched;
  const outputs: RuleOutputs[] = [];
  for (const rule of hits) {
    const result = ruleOutputs(table, rule, variables, now);
    if (!result.ok) return { result, evaluatedInputs, matchedRules: [] };
    outputs.push(result.outputs);
  }
  const matchedRules = hits.map((rule, i) => matchedRuleOf(table, rule, outputs[i]!));
  return { result: HIT_POLICIES[table.hitPolicy](outputs, table), evaluatedInputs, matchedRules };
}
