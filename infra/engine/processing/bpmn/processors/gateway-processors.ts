/** Exclusive, parallel, inclusive and event-based gateways. */
import { elementOf } from '../../../model/executable-model.js';
import { evaluateBoolean } from '../../../feel/feel-evaluator.js';
import { ErrorType, type Failure } from '../../command.js';
import type { BpmnBehaviors } from '../bpmn-behaviors.js';
import type { BpmnContext } from '../bpmn-context.js';
import type { BpmnElementProcessor } from '../bpmn-element-processor.js';

/**
 * The outgoing flows whose condition holds, in model order; `first` stops at the first one. A
 * gateway without outgoing flows is an implicit end of its flow scope, as in Zeebe.
 */
function selectFlows(context: BpmnContext, b: BpmnBehaviors, first: boolean): string[] | Failure {
  if (context.element.outgoing.length === 0) return [];
  const candidates = context.element.outgoing.filter((id) => id !== context.element.defaultFlowId);
  if (context.element.outgoing.length === 1 && !elementOf(context.model, context.element.outgoing[0]!).condition) return [...context.element.outgoing];
  const variables = b.variables.feelContext(context.key);
  const selected: string[] = [];
  for (const flowId of candidates) {
    const condition = elementOf(context.model, flowId).condition;
    if (!condition) continue;
    const result = evaluateBoolean(condition, variables);
    if (!result.ok) return { errorType: ErrorType.CONDITION_ERROR, message: result.failure };
    if (result.value) {
      selected.push(flowId);
      if (first) break;
    }
  }
  if (selected.length === 0 && context.element.defaultFlowId) selected.push(context.element.defaultFlowId);
  if (selected.length === 0) {
    return { errorType: ErrorType.CONDITION_ERROR, message: `Expected at least one condition to evaluate to true, or to have a default flow` };
  }
  return selected;
}

function conditionalGateway(first: boolean): BpmnElementProcessor {
  return {
    onActivate(context, b) {
      const flows = selectFlows(context, b, first);
      if ('errorType' in flows) return flows;
      b.transitions.toActivated(context);
      b.transitions.completeElement(context);
    },
    onComplete(context, b) {
      const flows = selectFlows(context, b, first);
      if ('errorType' in flows) return flows;
      b.transitions.toCompleted(context);
      for (const flowId of flows) b.transitions.takeFlow(context, flowId);
      b.afterCompleted(context);
    },
    onTerminate(context, b) {
      b.terminateLeaf(context);
    },
  };
}

export const exclusiveGatewayProcessor = conditionalGateway(true);
export const inclusiveGatewayProcessor = conditionalGateway(false);

export const parallelGatewayProcessor: BpmnElementProcessor = {
  onActivate(context, b) {
    b.transitions.toActivated(context);
    b.transitions.completeElement(context);
  },
  onComplete(context, b) {
    b.transitions.toCompleted(context);
    b.transitions.takeOutgoingFlows(context);
    b.afterCompleted(context);
  },
  onTerminate(context, b) {
    b.terminateLeaf(context);
  },
};

/** Waits for the first of its events; only the flow to that event is taken. */
export const eventBasedGatewayProcessor: BpmnElementProcessor = {
  onActivate(context, b) {
    const targets = context.element.eventBasedTargets.map((id) => elementOf(context.model, id));
    const subscribed = b.subscriptions.subscribe(context, targets);
    if ('errorType' in subscribed) return subscribed;
    b.transitions.toActivated(context);
  },
  onComplete(context, b) {
    const trigger = b.state.eventTrigger(context.key)!;
    b.transitions.toCompleted(context);
    const flowId = context.element.outgoing.find((id) => elementOf(context.model, id).targetId === trigger.elementId)!;
    const key = b.transitions.takeFlow(context, flowId)!;
    b.triggers.moveTrigger(context, key, trigger);
    b.afterCompleted(context);
  },
  onTerminate(context, b) {
    b.terminateLeaf(context);
  },
};
