/**
 * Finds deployed decisions and evaluates them, writing the DECISION_EVALUATION event, as Zeebe's
 * DecisionBehavior does for both the EvaluateDecision command and business rule tasks. Lookup
 * failures carry Zeebe's messages; a failed evaluation is a FAILED event, not an exception.
 */
import type { Clock } from '../core/clock.js';
import { DEFAULT_TENANT, ValueType } from '../core/records.js';
import { evaluateDecision, type DecisionEvaluationResult, type EvaluatedDecision } from '../dmn/decision-evaluator.js';
import { jsonText } from '../dmn/decision-table-evaluator.js';
import type { DecisionValue } from '../state/decision-state.js';
import type { EngineState } from '../state/engine-state.js';
import type { Keyed } from '../state/keyed-table.js';
import type { Writers } from './writers.js';

export const DecisionEvaluationIntent = { EVALUATE: 'EVALUATE', EVALUATED: 'EVALUATED', FAILED: 'FAILED' } as const;

/** Where a decision was evaluated from: a business rule task, or nothing for the EvaluateDecision command. */
export interface EvaluationOrigin {
  processDefinitionKey: number;
  bpmnProcessId: string;
  processInstanceKey: number;
  elementInstanceKey: number;
  elementId: string;
}

/** An evaluated decision in the record, with the key and version of the deployed decision (Zeebe's EvaluatedDecisionRecord). */
export type EvaluatedDecisionValue = EvaluatedDecision & { decisionKey: number; decisionVersion: number; tenantId: string; decisionEvaluationInstanceKey: string };

/** DECISION_EVALUATION record values, as Zeebe's DecisionEvaluationRecord. */
export interface DecisionEvaluationValue extends EvaluationOrigin {
  decisionKey: number;
  decisionId: string;
  decisionName: string;
  decisionVersion: number;
  decisionRequirementsKey: number;
  decisionRequirementsId: string;
  /** JSON text; `null` for a failed evaluation. */
  decisionOutput: string;
  evaluatedDecisions: EvaluatedDecisionValue[];
  evaluationFailureMessage: string;
  failedDecisionId: string;
  tenantId: string;
}

export type DecisionLookup = { ok: true; decision: Keyed<DecisionValue> } | { ok: false; message: string };

const NO_ORIGIN: EvaluationOrigin = { processDefinitionKey: -1, bpmnProcessId: '', processInstanceKey: -1, elementInstanceKey: -1, elementId: '' };

export class DecisionBehavior {
  constructor(
    private readonly state: EngineState,
    private readonly writers: Writers,
    private readonly clock: Clock,
  ) {}

  latest(decisionId: string): DecisionLookup {
    const decision = this.state.decisions.latestDecision(decisionId);
    return decision ? { ok: true, decision } : { ok: false, message: `Expected to evaluate decision '${decisionId}', but no decision found for id '${decisionId}'` };
  }

  byKey(decisionKey: number): DecisionLookup {
    const value = this.state.decisions.decision(decisionKey);
    return value ? { ok: true, decision: { key: decisionKey, value } } : { ok: false, message: `Expected to evaluate decision '${decisionKey}', but no decision found for key '${decisionKey}'` };
  }

  inDeployment(decisionId: string, deploymentKey: number): DecisionLookup {
    const decision = this.state.decisions.decisionInDeployment(decisionId, deploymentKey);
    return decision ? { ok: true, decision } : {
      ok: false,
      message: `Expected to evaluate decision '${decisionId}' with binding type 'deployment', but no such decision found in the deployment with key ${deploymentKey} which contained the current process. To resolve this incident, migrate the process instance to a process definition that is deployed together with the intended decision to evaluate.`,
    };
  }

  withVersionTag(decisionId: string, versionTag: string): DecisionLookup {
    const decision = this.state.decisions.latestDecisionTagged(decisionId, versionTag);
    return decision ? { ok: true, decision } : {
      ok: false,
      message: `Expected to evaluate decision with id '${decisionId}' and version tag '${versionTag}', but no such decision found. To resolve this incident, deploy a decision with the given id and version tag.`,
    };
  }

  /** The decision's graph, parsed at deployment or at the engine's start. */
  graphOf(decision: Keyed<DecisionValue>): { ok: true } | { ok: false; message: string } {
    return this.state.decisions.graph(decision.value.decisionRequirementsKey)
      ? { ok: true }
      : { ok: false, message: `Expected to evaluate decision '${decision.value.decisionId}', but no drg found for id '${decision.value.decisionRequirementsId}'` };
  }

  /** Evaluates the decision in its graph against the variables and writes DECISION_EVALUATION EVALUATED or FAILED. */
  evaluate(decision: Keyed<DecisionValue>, variables: Record<string, unknown>, origin: EvaluationOrigin = NO_ORIGIN): { key: number; value: DecisionEvaluationValue; result: DecisionEvaluationResult } {
    const drg = this.state.decisions.graph(decision.value.decisionRequirementsKey)!;
    const result = evaluateDecision(drg, decision.value.decisionId, variables, this.clock.now());
    const key = this.state.nextKey();
    const value: DecisionEvaluationValue = {
      decisionKey: decision.key, decisionId: decision.value.decisionId, decisionName: decision.value.decisionName, decisionVersion: decision.value.version,
      decisionRequirementsKey: decision.value.decisionRequirementsKey, decisionRequirementsId: decision.value.decisionRequirementsId,
      decisionOutput: result.ok ? jsonText(result.output) : 'null', ...origin,
      evaluatedDecisions: this.evaluatedDecisions(decision, result, key),
      evaluationFailureMessage: result.ok ? '' : result.failureMessage, failedDecisionId: result.ok ? '' : result.failedDecisionId,
      tenantId: DEFAULT_TENANT,
    };
    this.writers.appendEvent(key, ValueType.DECISION_EVALUATION, result.ok ? DecisionEvaluationIntent.EVALUATED : DecisionEvaluationIntent.FAILED, value);
    return { key, value, result };
  }

  /** Zeebe numbers the evaluated decisions `<evaluation key>-<index>`, from 1. */
  private evaluatedDecisions(decision: Keyed<DecisionValue>, result: DecisionEvaluationResult, key: number): EvaluatedDecisionValue[] {
    const deployed = new Map(this.state.decisions.decisionsOf(decision.value.decisionRequirementsKey).map((d) => [d.value.decisionId, d]));
    return result.evaluatedDecisions.map((evaluated, i) => ({
      ...evaluated, decisionKey: deployed.get(evaluated.decisionId)?.key ?? -1, decisionVersion: deployed.get(evaluated.decisionId)?.value.version ?? -1,
      tenantId: DEFAULT_TENANT, decisionEvaluationInstanceKey: `${key}-${i + 1}`,
    }));
  }
}
