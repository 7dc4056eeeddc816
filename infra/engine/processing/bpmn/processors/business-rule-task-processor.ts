/**
 * Business rule tasks (Zeebe's BusinessRuleTaskProcessor): with `zeebe:calledDecision` the task
 * evaluates the decision when it activates and completes at once, its result becoming the result
 * variable as it completes (local to the task, then output mappings apply); with
 * `zeebe:taskDefinition` it is a job-worker task.
 * https://docs.camunda.io/docs/components/modeler/bpmn/business-rule-tasks/
 */
import { evaluateString } from '../../../feel/feel-evaluator.js';
import { BindingType, type CalledDecision } from '../../../model/executable-model.js';
import { ErrorType, type Failure } from '../../command.js';
import type { DecisionLookup } from '../../decision-behavior.js';
import type { BpmnBehaviors } from '../bpmn-behaviors.js';
import type { BpmnContext } from '../bpmn-context.js';
import type { BpmnElementProcessor } from '../bpmn-element-processor.js';
import { finishOrTerminate, jobWorkerTaskProcessor } from './task-processors.js';

function findCalledDecision(context: BpmnContext, called: CalledDecision, decisionId: string, b: BpmnBehaviors): DecisionLookup {
  if (called.bindingType === BindingType.DEPLOYMENT) {
    const deploymentKey = b.state.definitions().find((d) => d.key === context.value.processDefinitionKey)?.deploymentKey ?? -1;
    return b.decisions.inDeployment(decisionId, deploymentKey);
  }
  if (called.bindingType === BindingType.VERSION_TAG) {
    const versionTag = evaluateString(called.versionTag!, b.variables.feelContext(context.key));
    return versionTag.ok ? b.decisions.withVersionTag(decisionId, versionTag.value) : { ok: false, message: versionTag.failure };
  }
  return b.decisions.latest(decisionId);
}

/** Evaluates the called decision (Zeebe's BpmnDecisionBehavior): its output, or the failure that becomes the incident. */
function evaluateCalledDecision(context: BpmnContext, called: CalledDecision, b: BpmnBehaviors): { output: unknown } | Failure {
  const decisionId = evaluateString(called.decisionId, b.variables.feelContext(context.key));
  if (!decisionId.ok) return { errorType: ErrorType.EXTRACT_VALUE_ERROR, message: decisionId.failure };
  const found = findCalledDecision(context, called, decisionId.value, b);
  if (!found.ok) return { errorType: ErrorType.CALLED_DECISION_ERROR, message: found.message };
  const graph = b.decisions.graphOf(found.decision);
  if (!graph.ok) return { errorType: ErrorType.CALLED_DECISION_ERROR, message: graph.message };
  const { value, result } = b.decisions.evaluate(found.decision, b.variables.visible(context.key), {
    processDefinitionKey: context.value.processDefinitionKey, bpmnProcessId: context.value.bpmnProcessId,
    processInstanceKey: context.value.processInstanceKey, elementInstanceKey: context.key, elementId: context.element.id,
  });
  if (!result.ok) return { errorType: ErrorType.DECISION_EVALUATION_ERROR, message: value.evaluationFailureMessage };
  return { output: result.output };
}

export const businessRuleTaskProcessor: BpmnElementProcessor = {
  onActivate(context, b) {
    const called = context.element.calledDecision;
    if (!called) return jobWorkerTaskProcessor.onActivate(context, b);
    const mapped = b.variables.applyInputMappings(context);
    if (mapped) return mapped;
    const evaluated = evaluateCalledDecision(context, called, b);
    if ('errorType' in evaluated) return evaluated;
    // The result waits as the task's own event until it completes: an output mapping that fails then does not evaluate the decision again.
    b.triggers.triggerOwnEvent(context, { [called.resultVariable]: evaluated.output });
    b.transitions.toActivated(context);
    b.transitions.completeElement(context);
  },
  onComplete(context, b) {
    if (!context.element.calledDecision) return finishOrTerminate.onComplete(context, b);
    const variables = b.triggers.consume(context.key, context);
    if (variables) b.variables.mergeResult(context, variables);
    return b.completeAndContinue(context);
  },
  onTerminate: finishOrTerminate.onTerminate,
};
