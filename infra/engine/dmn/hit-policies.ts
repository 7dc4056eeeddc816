/**
 * How a decision table's matched rules become its result, one function per hit policy, as
 * dmn-scala's DecisionTableEvaluator (Zeebe's DMN engine) applies them; failures carry its words.
 * https://docs.camunda.io/docs/components/modeler/dmn/decision-table-hit-policy/
 */
import { Aggregation, HitPolicy, type DecisionOutput, type DecisionTable } from './decision-model.js';
import type { FeelResult } from './dmn-feel.js';

/** The output values of one matched rule, by output name, in the table's output order. */
export type RuleOutputs = [name: string | undefined, value: unknown][];

type HitPolicyFunction = (matched: RuleOutputs[], table: DecisionTable) => FeelResult;

const ok = (value: unknown): FeelResult => ({ ok: true, value });
const failed = (failure: string): FeelResult => ({ ok: false, failure });

/** One rule's outputs: the value of a single output, else a context of all of them. */
export function outputsValue(outputs: RuleOutputs): unknown {
  return outputs.length === 1 ? outputs[0]![1] : Object.fromEntries(outputs);
}

function singleOutputValue(matched: RuleOutputs[]): unknown {
  return matched.length === 0 ? null : outputsValue(matched[0]!);
}

function multipleOutputValues(matched: RuleOutputs[]): unknown {
  return matched.length === 0 ? null : matched.map(outputsValue);
}

/**
 * Sorts by the position of each output's value in its output values (`"gold","silver"`), first
 * output first; values not listed sort last. dmn-scala concatenates the positions and compares the
 * text, and so does this.
 */
function sortByPriority(matched: RuleOutputs[], outputs: DecisionOutput[]): RuleOutputs[] {
  const priorities = outputs.map((output) => new Map(output.values.map((value, index) => [value.trim().replace(/["']/g, ''), index])));
  const rank = (rule: RuleOutputs) => rule.map(([, value], i) => {
    const known = typeof value === 'string' || typeof value === 'number' ? priorities[i]?.get(String(value)) : undefined;
    return known === undefined ? '_' : String(known);
  }).join('');
  return matched.map((rule) => ({ rule, rank: rank(rule) }))
    .sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0))
    .map(({ rule }) => rule);
}

function aggregate(matched: RuleOutputs[], aggregation: Aggregation): FeelResult {
  if (aggregation === Aggregation.COUNT) return ok(matched.length);
  if (matched[0]!.length !== 1) return failed(`multiple values aren't allowed. found: ${scalaText(matched)}`);
  const values = matched.map((rule) => rule[0]![1]);
  const notNumber = values.find((value) => typeof value !== 'number');
  if (notNumber !== undefined) return failed(`expected number but found '${scalaText(notNumber)}'`);
  const numbers = values as number[];
  if (aggregation === Aggregation.SUM) return ok(numbers.reduce((sum, n) => sum + n, 0));
  return ok(aggregation === Aggregation.MIN ? Math.min(...numbers) : Math.max(...numbers));
}

const sameOutputs = (a: RuleOutputs, b: RuleOutputs) => JSON.stringify(a) === JSON.stringify(b);

export const HIT_POLICIES: Record<HitPolicy, HitPolicyFunction> = {
  [HitPolicy.UNIQUE]: (matched) => matched.length <= 1
    ? ok(singleOutputValue(matched))
    : failed(`multiple values aren't allowed for UNIQUE hit policy. found: '${scalaText(matched)}'`),
  [HitPolicy.FIRST]: (matched) => ok(singleOutputValue(matched)),
  [HitPolicy.ANY]: (matched) => {
    const distinct = matched.filter((rule, i) => matched.findIndex((other) => sameOutputs(other, rule)) === i);
    return distinct.length <= 1
      ? ok(singleOutputValue(matched))
      : failed(`different values aren't allowed for ANY hit policy. found: '${scalaText(distinct)}'`);
  },
  [HitPolicy.PRIORITY]: (matched, table) => ok(singleOutputValue(sortByPriority(matched, table.outputs))),
  [HitPolicy.OUTPUT_ORDER]: (matched, table) => ok(multipleOutputValues(sortByPriority(matched, table.outputs))),
  [HitPolicy.RULE_ORDER]: (matched) => ok(multipleOutputValues(matched)),
  [HitPolicy.COLLECT]: (matched, table) => (table.aggregation ? aggregate(matched, table.aggregation) : ok(multipleOutputValues(matched))),
};

/**
 * A value as dmn-scala prints it in its failure messages (Scala's toString of FEEL values):
 * `List(Map(discount -> ValNumber(0.1)))`, so an incident reads as it would on Zeebe.
 */
export function scalaText(value: unknown): string {
  if (value === null || value === undefined) return 'ValNull';
  if (typeof value === 'string') return `ValString(${value})`;
  if (typeof value === 'number') return `ValNumber(${value})`;
  if (typeof value === 'boolean') return `ValBoolean(${value})`;
  if (Array.isArray(value)) {
    const items = value.map((item) => (isRuleOutputs(item) ? `Map(${item.map(([k, v]) => `${k} -> ${scalaText(v)}`).join(', ')})` : scalaText(item)));
    return `List(${items.join(', ')})`;
  }
  const iso = (value as { iso?: unknown }).iso;
  if (typeof iso === 'string') return iso;
  return `ValContext(${Object.entries(value).map(([k, v]) => `${k} -> ${scalaText(v)}`).join(', ')})`;
}

function isRuleOutputs(value: unknown): value is RuleOutputs {
  return Array.isArray(value) && value.every((entry) => Array.isArray(entry) && entry.length === 2 && (typeof entry[0] === 'string' || entry[0] === undefined));
}
