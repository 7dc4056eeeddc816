/**
 * The checks dmn-scala's parser makes before a decision requirements graph can be deployed: what
 * decisions require exists and does not go round in a circle, a table's outputs can be told apart,
 * and every FEEL expression and unary test parses. Each returns the failures, in dmn-scala's words
 * where it has them, with the element each is about.
 */
import type { ValidationError } from '../model/bpmn-validator.js';
import { Aggregation, DecisionType, HitPolicy, type DecisionTable, type ParsedDecision, type ParsedDrg } from './decision-model.js';
import { feelSyntaxError } from './dmn-feel.js';

const AGGREGATIONS = new Set<string>(Object.values(Aggregation));

/**
 * A failure about one element of the file (undefined: the file as a whole), or nothing when there is
 * no failure. The parsed model keeps a missing id as '', which points nowhere.
 */
const at = (elementId: string | undefined, message: string | undefined): ValidationError[] => (message === undefined ? [] : [{ elementId: elementId || undefined, message }]);

function unknownRequirements(drg: ParsedDrg): ValidationError[] {
  const ids = new Set(drg.decisions.map((d) => d.id));
  return drg.decisions.flatMap((decision) => decision.requiredDecisionIds
    .filter((id) => !ids.has(id))
    .flatMap((id) => at(decision.id, `Expected the decision '${decision.id}' to require decisions of the same DRG, but no decision '${id}' is defined in it`)));
}

function hasCycle(drg: ParsedDrg): boolean {
  const byId = new Map(drg.decisions.map((d) => [d.id, d]));
  const visit = (id: string, path: Set<string>): boolean => {
    if (path.has(id)) return true;
    const next = new Set(path).add(id);
    return (byId.get(id)?.requiredDecisionIds ?? []).some((required) => visit(required, next));
  };
  return drg.decisions.some((decision) => visit(decision.id, new Set()));
}

function tableShape(decisionId: string, table: DecisionTable): ValidationError[] {
  const failures: ValidationError[] = [];
  if (table.outputs.length > 1 && table.hitPolicy === HitPolicy.COLLECT && table.aggregation) {
    failures.push(...at(decisionId, `hit policy 'COLLECT' with aggregator is not defined for compound output`));
  }
  if (table.aggregation && !AGGREGATIONS.has(table.aggregation)) {
    failures.push(...at(decisionId, `Expected an aggregation of ${[...AGGREGATIONS].join(', ')}, but found '${table.aggregation}'`));
  }
  if (table.outputs.length > 1) {
    for (const output of table.outputs.filter((o) => !o.name)) failures.push(...at(output.id, `no output name defined for \`${output.label ?? output.id}\``));
  }
  for (const rule of table.rules) {
    if (rule.inputEntries.length !== table.inputs.length || rule.outputEntries.length !== table.outputs.length) {
      failures.push(...at(rule.id, `Expected the rule '${rule.id}' to have ${table.inputs.length} input and ${table.outputs.length} output entries, but it has ${rule.inputEntries.length} and ${rule.outputEntries.length}`));
    }
  }
  return failures;
}

function tableSyntax(table: DecisionTable): ValidationError[] {
  return [
    ...table.inputs.flatMap((input) => at(input.id, feelSyntaxError(input.expression, 'expression'))),
    ...table.outputs.flatMap((output) => at(output.id, output.defaultEntry === undefined ? undefined : feelSyntaxError(output.defaultEntry, 'expression'))),
    ...table.rules.flatMap((rule) => [
      ...rule.inputEntries.flatMap((entry) => at(rule.id, feelSyntaxError(entry, 'unary-tests'))),
      ...rule.outputEntries.flatMap((entry) => at(rule.id, feelSyntaxError(entry, 'expression'))),
    ]),
  ];
}

function decisionFailures(decision: ParsedDecision): ValidationError[] {
  const logic = decision.logic;
  if (logic.type === DecisionType.LITERAL_EXPRESSION) return at(decision.id, feelSyntaxError(logic.expression, 'expression'));
  return [...tableShape(decision.id, logic), ...tableSyntax(logic)];
}

export function drgFailures(drg: ParsedDrg): ValidationError[] {
  const unknown = unknownRequirements(drg);
  if (unknown.length) return unknown;
  if (hasCycle(drg)) return at(undefined, 'Invalid DMN model: Cyclic dependencies between decisions detected.');
  return drg.decisions.flatMap(decisionFailures);
}
