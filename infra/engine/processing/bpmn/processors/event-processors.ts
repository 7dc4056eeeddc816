/** Start, end, boundary and throw events. */
import { EventType } from '../../../model/executable-model.js';
import { evaluateString } from '../../../feel/feel-evaluator.js';
import { ErrorType } from '../../command.js';
import type { BpmnBehaviors } from '../bpmn-behaviors.js';
import type { BpmnContext } from '../bpmn-context.js';
import type { BpmnElementProcessor } from '../bpmn-element-processor.js';
import { finishOrTerminate, jobWorkerTaskProcessor, passThroughProcessor } from './task-processors.js';
import { throwCompensation, throwEscalation, throwLink, throwSignal } from './throw-event-behaviors.js';

/** Start and boundary events: take the variables of the event that triggered them, then go on. */
export const triggeredEventProcessor: BpmnElementProcessor = {
  onActivate(context, b) {
    const variables = b.triggers.consume(context.key, { key: context.key, value: context.value });
    if (variables) b.variables.mergeResult(context, variables);
    b.transitions.toActivated(context);
    b.transitions.completeElement(context);
  },
  ...finishOrTerminate,
};

/** Throw behaviours by event type; types not listed pass through. */
export type ThrowBehavior = (context: BpmnContext, b: BpmnBehaviors) => ReturnType<BpmnElementProcessor['onActivate']>;

export const throwBehaviors: Partial<Record<string, ThrowBehavior>> = {
  [EventType.MESSAGE]: (context, b) => jobWorkerTaskProcessor.onActivate(context, b),
  [EventType.ERROR]: (context, b) => {
    const errorCode = evaluateString(context.element.errorCode!, b.variables.feelContext(context.key));
    if (!errorCode.ok) return { errorType: ErrorType.EXTRACT_VALUE_ERROR, message: errorCode.failure };
    const found = b.errors.findCatch(b.instance(context.key)!, errorCode.value, false);
    if (!found) {
      return { errorType: ErrorType.UNHANDLED_ERROR_EVENT, message: b.errors.uncaughtErrorMessage(b.instance(context.key)!, errorCode.value, '', false) };
    }
    b.transitions.toActivated(context);
    b.triggers.trigger(found.ownerKey, found.catchElement.id, {});
  },
  [EventType.SIGNAL]: (context, b) => throwSignal(context, b),
  [EventType.ESCALATION]: (context, b) => throwEscalation(context, b),
  [EventType.LINK]: (context, b) => throwLink(context, b),
  [EventType.COMPENSATION]: (context, b) => throwCompensation(context, b),
  [EventType.TERMINATE]: (context, b) => {
    b.transitions.toActivated(context);
    for (const sibling of b.state.elementInstances.children(context.value.flowScopeKey)) {
      if (sibling.key !== context.key) b.transitions.terminateElement(sibling.key, sibling.value);
    }
    b.transitions.completeElement(context);
  },
};

export const endEventProcessor: BpmnElementProcessor = {
  onActivate(context, b) {
    const mapped = b.variables.applyInputMappings(context);
    if (mapped) return mapped;
    const behavior = throwBehaviors[context.element.eventType];
    if (behavior) return behavior(context, b);
    b.transitions.toActivated(context);
    b.transitions.completeElement(context);
  },
  ...finishOrTerminate,
};

export const intermediateThrowEventProcessor: BpmnElementProcessor = {
  ...endEventProcessor,
  onActivate(context, b) {
    return throwBehaviors[context.element.eventType] ? endEventProcessor.onActivate(context, b) : passThroughProcessor.onActivate(context, b);
  },
};
