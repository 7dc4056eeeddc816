/**
 * DECISION_EVALUATION EVALUATE from clients (Zeebe's DecisionEvaluationEvaluateProcessor): the
 * latest decision by id or a decision by key, evaluated against the given variables. A failed
 * evaluation is accepted and answered with its failure; only an unknown decision is rejected.
 */
import { RejectionType, type DecisionEvaluation } from '../../engine-api.js';
import type { Command } from '../command.js';
import type { DecisionBehavior, DecisionEvaluationValue } from '../decision-behavior.js';
import type { Writers } from '../writers.js';

export interface EvaluateDecisionValue {
  decisionId: string;
  /** -1 when not given. */
  decisionKey: number;
  variables: Record<string, unknown>;
}

export class DecisionEvaluationProcessor {
  constructor(
    private readonly decisions: DecisionBehavior,
    private readonly writers: Writers,
  ) {}

  evaluate(command: Command<EvaluateDecisionValue>): void {
    const { decisionId, decisionKey, variables } = command.value;
    if (!decisionId && decisionKey <= 0) {
      this.writers.reject(command, RejectionType.INVALID_ARGUMENT, 'Expected either a decision id or a valid decision key, but none provided');
      return;
    }
    const found = decisionId ? this.decisions.latest(decisionId) : this.decisions.byKey(decisionKey);
    if (!found.ok) return this.writers.reject(command, RejectionType.NOT_FOUND, found.message);
    const graph = this.decisions.graphOf(found.decision);
    if (!graph.ok) return this.writers.reject(command, RejectionType.NOT_FOUND, graph.message);
    const { key, value } = this.decisions.evaluate(found.decision, variables);
    this.writers.respond(key, toEvaluation(key, value));
  }
}

function toEvaluation(key: number, value: DecisionEvaluationValue): DecisionEvaluation {
  return {
    decisionEvaluationKey: String(key), decisionKey: String(value.decisionKey), decisionId: value.decisionId, decisionName: value.decisionName,
    decisionVersion: value.decisionVersion, decisionRequirementsId: value.decisionRequirementsId,
    decisionRequirementsKey: String(value.decisionRequirementsKey), decisionOutput: value.decisionOutput,
    evaluatedDecisions: value.evaluatedDecisions.map((d) => ({ ...d, decisionKey: String(d.decisionKey) })),
    failedDecisionId: value.failedDecisionId, failureMessage: value.evaluationFailureMessage, tenantId: value.tenantId,
  };
}
