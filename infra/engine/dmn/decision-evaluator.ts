/**
 * Evaluates a decision of a decision requirements graph, as Zeebe's DmnScalaDecisionEngine does:
 * the decisions it requires first (depth first), each result put into the context under the
 * required decision's result name (its variable's name, else its id), then its own logic. Every
 * decision evaluated on the way is reported, the failing one last.
 */
import { toJson } from '../feel/feel-evaluator.js';
import { DecisionType, type ParsedDecision, type ParsedDrg } from './decision-model.js';
import { evaluateExpression, type FeelResult } from './dmn-feel.js';
import { evaluateDecisionTable, jsonText, type EvaluatedInput, type MatchedRule } from './decision-table-evaluator.js';

export type { EvaluatedInput, EvaluatedOutput, MatchedRule } from './decision-table-evaluator.js';

/** One decision evaluated within an evaluation (Zeebe's EvaluatedDecision); the output is JSON text. */
export interface EvaluatedDecision {
  decisionId: string;
  decisionName: string;
  decisionType: DecisionType;
  decisionOutput: string;
  evaluatedInputs: EvaluatedInput[];
  matchedRules: MatchedRule[];
}

export type DecisionEvaluationResult =
  | { ok: true; output: unknown; evaluatedDecisions: EvaluatedDecision[] }
  | { ok: false; failureMessage: string; failedDecisionId: string; evaluatedDecisions: EvaluatedDecision[] };

type Variables = Record<string, unknown>;

class Evaluation {
  readonly evaluated: EvaluatedDecision[] = [];

  constructor(
    private readonly drg: ParsedDrg,
    private readonly now: number,
  ) {}

  decision(decision: ParsedDecision, variables: Variables): FeelResult {
    const context: Variables = { ...variables };
    for (const requiredId of decision.requiredDecisionIds) {
      const required = this.drg.decisions.find((d) => d.id === requiredId)!;
      const result = this.decision(required, variables);
      if (!result.ok) return result;
      context[required.resultName] = result.value;
    }
    return this.logic(decision, context);
  }

  private logic(decision: ParsedDecision, context: Variables): FeelResult {
    const report = { decisionId: decision.id, decisionName: decision.name, decisionType: decision.logic.type };
    if (decision.logic.type === DecisionType.LITERAL_EXPRESSION) {
      const result = evaluateExpression(decision.logic.expression, context, this.now);
      this.evaluated.push({ ...report, decisionOutput: outputText(result), evaluatedInputs: [], matchedRules: [] });
      return result;
    }
    const table = evaluateDecisionTable(decision.logic, context, this.now);
    this.evaluated.push({ ...report, decisionOutput: outputText(table.result), evaluatedInputs: table.evaluatedInputs, matchedRules: table.matchedRules });
    return table.result;
  }
}

const outputText = (result: FeelResult) => (result.ok ? jsonText(result.value) : 'null');

/**
 * Evaluates the decision `decisionId` of the graph against the variables, `now` being the
 * engine's time for FEEL's `now()`. Failures are values: Zeebe turns them into FAILED evaluations.
 */
export function evaluateDecision(drg: ParsedDrg, decisionId: string, variables: Variables, now: number): DecisionEvaluationResult {
  const decision = drg.decisions.find((d) => d.id === decisionId);
  const evaluation = new Evaluation(drg, now);
  const result: FeelResult = decision ? evaluation.decision(decision, variables) : { ok: false, failure: `no decision found with id '${decisionId}'` };
  const evaluatedDecisions = evaluation.evaluated;
  if (result.ok) return { ok: true, output: toJson(result.value), evaluatedDecisions };
  return {
    ok: false,
    failureMessage: `Expected to evaluate decision '${decisionId}', but ${result.failure}`,
    failedDecisionId: evaluatedDecisions.at(-1)?.decisionId ?? decisionId,
    evaluatedDecisions,
  };
}
