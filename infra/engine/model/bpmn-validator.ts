/**
 * The checks Zeebe applies when a BPMN resource is deployed. Each rule looks at one element and
 * returns the reasons it is refused; a deployment with any reason is rejected as a whole.
 */
import { evaluate, SyntaxError } from 'feelin';
import { CAMUNDA_FUNCTIONS } from '../feel/camunda-functions.js';
import {
  ElementType,
  EventType,
  type ExecutableElement,
  type ExecutableProcess,
  type Expression,
} from './executable-model.js';
import { elementTypeOf, eventTypeOf, extension, flowElementsOf, type ModdleElement } from './bpmn-transformer.js';
import { conditionalFlowSource, distinctBoundaryEvents, distinctScopeStartEvents, escalationBoundaryHost, interruptingKind, pairedLinks } from './event-scope-rules.js';
import { constantStartEventNames, mappingTargets, requiredFeel, timerExpression } from './expression-rules.js';
import { calledDecision } from './called-decision-rules.js';

export interface ValidationError {
  /** The element refused; undefined when the resource as a whole is (Zeebe then names only the resource). */
  elementId: string | undefined;
  message: string;
}

type Rule = (element: ExecutableElement, process: ExecutableProcess) => string[];

const CATCHABLE_MESSAGE_TYPES = new Set<ElementType>([
  ElementType.INTERMEDIATE_CATCH_EVENT,
  ElementType.BOUNDARY_EVENT,
  ElementType.RECEIVE_TASK,
]);

const CATCH_EVENT_TYPES = new Set<ElementType>([ElementType.START_EVENT, ElementType.INTERMEDIATE_CATCH_EVENT, ElementType.BOUNDARY_EVENT]);

const JOB_TYPES = new Set<ElementType>([ElementType.SERVICE_TASK, ElementType.SEND_TASK]);

const SUPPORTED_EVENTS: Partial<Record<ElementType, EventType[]>> = {
  [ElementType.START_EVENT]: [EventType.NONE, EventType.MESSAGE, EventType.TIMER, EventType.SIGNAL, EventType.ERROR, EventType.ESCALATION, EventType.COMPENSATION],
  [ElementType.END_EVENT]: [EventType.NONE, EventType.ERROR, EventType.TERMINATE, EventType.COMPENSATION, EventType.MESSAGE, EventType.SIGNAL, EventType.ESCALATION],
  [ElementType.INTERMEDIATE_CATCH_EVENT]: [EventType.MESSAGE, EventType.TIMER, EventType.SIGNAL, EventType.LINK],
  [ElementType.INTERMEDIATE_THROW_EVENT]: [EventType.NONE, EventType.MESSAGE, EventType.SIGNAL, EventType.COMPENSATION, EventType.ESCALATION, EventType.LINK],
  [ElementType.BOUNDARY_EVENT]: [EventType.MESSAGE, EventType.TIMER, EventType.ERROR, EventType.SIGNAL, EventType.COMPENSATION, EventType.ESCALATION],
};

function feelSyntax(label: string, value: Expression | undefined): string[] {
  if (!value?.isFeel) return [];
  try {
    // feelin throws SyntaxError only on syntax errors; evaluating against no variables has no effects.
    evaluate(value.source, { ...CAMUNDA_FUNCTIONS });
    return [];
  } catch (error) {
    if (!(error instanceof SyntaxError)) return [];
    return [`Expected a valid FEEL expression for ${label}, but '${value.source}' is not: ${error.message}`];
  }
}

const rules: Rule[] = [
  (e) => {
    const allowed = SUPPORTED_EVENTS[e.elementType];
    return allowed && !allowed.includes(e.eventType)
      ? [`Elements of type ${e.elementType} with event definition ${e.eventType} are not supported`]
      : [];
  },
  (e) => (JOB_TYPES.has(e.elementType) || (e.eventType === EventType.MESSAGE && (e.elementType === ElementType.END_EVENT || e.elementType === ElementType.INTERMEDIATE_THROW_EVENT))) && !e.job
    ? [`Must have exactly one 'zeebe:taskDefinition' extension element`]
    : [],
  (e) => (e.job && !e.job.type.source ? [`Expected a job type in 'zeebe:taskDefinition', but it is empty`] : []),
  (e) => (e.elementType === ElementType.SCRIPT_TASK && !e.job && !e.script ? [`Must have either one 'zeebe:script' or one 'zeebe:taskDefinition' extension element`] : []),
  (e) => (e.script && !e.script.resultVariable ? [`Expected a 'resultVariable' on 'zeebe:script', but none is set`] : []),
  (e) => (e.elementType === ElementType.CALL_ACTIVITY && !e.calledElement?.processId.source ? [`Must have exactly one 'zeebe:calledElement' extension element with a processId`] : []),
  calledDecision,
  (e, p) => {
    if (e.eventType !== EventType.MESSAGE || e.job) return [];
    if (!e.message || !e.message.name.source) return [`Must reference a message with a name`];
    const needsKey = CATCHABLE_MESSAGE_TYPES.has(e.elementType) || isEventSubProcessStart(e, p);
    return needsKey && !e.message.correlationKey?.source ? [`Must have a correlation key ('zeebe:subscription' correlationKey)`] : [];
  },
  (e) => (e.elementType === ElementType.RECEIVE_TASK && (!e.message || !e.message.name.source) ? [`Must reference a message with a name`] : []),
  (e) => (e.eventType === EventType.TIMER && !e.timer ? [`Must have exactly one of timeDuration, timeDate or timeCycle`] : []),
  timerExpression,
  requiredFeel,
  mappingTargets,
  constantStartEventNames,
  (e) => (e.eventType === EventType.TIMER && e.timer?.kind === 'cycle' && e.elementType === ElementType.INTERMEDIATE_CATCH_EVENT ? [`Intermediate timer catch events must have a timeDuration or timeDate, not a timeCycle`] : []),
  (e) => (e.eventType === EventType.ERROR && (e.elementType === ElementType.END_EVENT) && !e.errorCode?.source ? [`Must reference an error with an errorCode`] : []),
  (e) => (CATCH_EVENT_TYPES.has(e.elementType) && e.errorCode?.isFeel ? [`The errorCode of the error catch event is not allowed to be an expression`] : []),
  (e) => (CATCH_EVENT_TYPES.has(e.elementType) && e.escalationCode?.isFeel ? [`The escalationCode of the escalation catch event is not allowed to be an expression`] : []),
  (e) => (e.eventType === EventType.SIGNAL && !e.signalName?.source ? [`Must reference a signal with a name`] : []),
  (e, p) => {
    // Zeebe's SequenceFlowValidator: only a gateway that chooses between several flows needs conditions.
    const gateway = e.elementType === ElementType.SEQUENCE_FLOW ? p.elements.get(e.sourceId ?? '') : undefined;
    if (!gateway || gateway.outgoing.length <= 1 || e.condition || gateway.defaultFlowId === e.id) return [];
    if (gateway.elementType === ElementType.EXCLUSIVE_GATEWAY) return [`Must have a condition or be default flow`];
    return gateway.elementType === ElementType.INCLUSIVE_GATEWAY ? [`Must have a condition`] : [];
  },
  (e, p) => (e.defaultFlowId && p.elements.get(e.defaultFlowId)?.condition ? [`A default flow must not have a condition, but ${e.defaultFlowId} has one`] : []),
  (e, p) => {
    if (e.elementType !== ElementType.EVENT_BASED_GATEWAY) return [];
    if (e.outgoing.length < 2) return [`Event-based gateway must have at least 2 outgoing sequence flows`];
    const wrong = e.eventBasedTargets.filter((id) => {
      const target = p.elements.get(id);
      const isCatch = target?.elementType === ElementType.INTERMEDIATE_CATCH_EVENT &&
        [EventType.MESSAGE, EventType.TIMER, EventType.SIGNAL].includes(target.eventType as never);
      return !isCatch && target?.elementType !== ElementType.RECEIVE_TASK;
    });
    return wrong.length ? [`Event-based gateway must not have an outgoing sequence flow to other elements than message/timer/signal intermediate catch events or receive tasks, but ${wrong.join(', ')} is not`] : [];
  },
  (e, p) => {
    if (e.elementType !== ElementType.START_EVENT || !e.flowScopeId) return [];
    const scope = p.elements.get(e.flowScopeId)!;
    if (scope.elementType === ElementType.EVENT_SUB_PROCESS) {
      if (e.eventType === EventType.COMPENSATION) return [`A compensation event sub-process is not supported (as in Zeebe)`];
      return e.eventType === EventType.NONE ? [`Start events in event sub-processes must have an event definition`] : [];
    }
    if (scope.elementType === ElementType.SUB_PROCESS && e.eventType !== EventType.NONE) return [`Start events in embedded sub-processes must be none start events`];
    return [];
  },
  (e) => (e.elementType === ElementType.PROCESS && e.startEventIds.length === 0 ? [`Must have at least one start event`] : []),
  (e, p) => e.elementType === ElementType.PROCESS && e.startEventIds.filter((id) => p.elements.get(id)?.eventType === EventType.NONE).length > 1
    ? [`Multiple none start events are not allowed`]
    : [],
  (e) => (e.elementType === ElementType.SUB_PROCESS || e.elementType === ElementType.EVENT_SUB_PROCESS) && e.startEventIds.length !== 1
    ? [`Must have exactly one start event`]
    : [],
  distinctBoundaryEvents,
  distinctScopeStartEvents,
  pairedLinks,
  interruptingKind,
  escalationBoundaryHost,
  conditionalFlowSource,
  (e) => (e.elementType === ElementType.END_EVENT && e.outgoing.length > 0 ? [`End events must not have outgoing sequence flows to other elements.`] : []),
  (e) => (e.elementType === ElementType.BOUNDARY_EVENT && !e.attachedToId ? [`Must be attached to an activity`] : []),
  (e) => (e.elementType === ElementType.BOUNDARY_EVENT && e.incoming.length > 0 ? [`Boundary events must not have incoming sequence flows`] : []),
  // Without outgoing flows a boundary event is an implicit end, as any other flow node in Zeebe.
  (e, p) => (e.elementType === ElementType.BOUNDARY_EVENT && e.eventType === EventType.COMPENSATION && (e.outgoing.length > 0 || !p.elements.get(e.attachedToId ?? '')?.compensationHandlerId)
    ? [`Compensation boundary events must have a compensation association and no outgoing sequence flows`]
    : []),
  (e) => (e.multiInstance && !e.multiInstance.inputCollection.source ? [`Must have an inputCollection on 'zeebe:loopCharacteristics'`] : []),
  (e) => [
    ...feelSyntax('the condition', e.condition),
    ...feelSyntax('the job type', e.job?.type),
    ...feelSyntax('the job retries', e.job?.retries),
    ...feelSyntax('the message name', e.message?.name),
    ...feelSyntax('the correlation key', e.message?.correlationKey),
    ...feelSyntax('the timer', e.timer?.expression),
    ...feelSyntax('the script', e.script?.expression),
    ...feelSyntax('the decision id', e.calledDecision?.decisionId),
    ...feelSyntax('the version tag', e.calledDecision?.versionTag),
    ...feelSyntax('the error code', e.errorCode),
    ...feelSyntax('the escalation code', e.escalationCode),
    ...feelSyntax('the input collection', e.multiInstance?.inputCollection),
    ...feelSyntax('the completion condition', e.multiInstance?.completionCondition),
    ...[...e.inputMappings, ...e.outputMappings].flatMap((m) => feelSyntax(`the mapping to '${m.target}'`, m.source)),
  ],
];

/** Only these message start events need a correlation key; a process's own ignores it (as Zeebe does). */
function isEventSubProcessStart(e: ExecutableElement, p: ExecutableProcess): boolean {
  return e.elementType === ElementType.START_EVENT && e.flowScopeId !== undefined && p.elements.get(e.flowScopeId)?.elementType === ElementType.EVENT_SUB_PROCESS;
}

/** Elements the transformer cannot represent at all (complex gateways, transactions, ...). */
export function unsupportedElements(moddleProcess: ModdleElement): ValidationError[] {
  const errors: ValidationError[] = [];
  for (const { moddle } of flowElementsOf(moddleProcess)) {
    if (moddle.$type === 'bpmn:DataObject' || moddle.$type === 'bpmn:DataObjectReference' || moddle.$type === 'bpmn:DataStoreReference') continue;
    if (!elementTypeOf(moddle) || moddle.$type === 'bpmn:Transaction') {
      errors.push({ elementId: moddle.id ?? '?', message: `The element type ${moddle.$type.replace('bpmn:', '')} is not supported` });
    } else if (eventTypeOf(moddle) === undefined) {
      errors.push({ elementId: moddle.id ?? '?', message: `The event definition ${moddle.eventDefinitions[0].$type.replace('bpmn:', '')} is not supported` });
    } else if (moddle.$type === 'bpmn:UserTask' && extension(moddle, 'zeebe:UserTask')) {
      errors.push({ elementId: moddle.id!, message: `Camunda user tasks ('zeebe:userTask') are not supported by the embedded engine; use a job-based user task` });
    }
  }
  return errors;
}

export function validateProcess(process: ExecutableProcess): ValidationError[] {
  const errors: ValidationError[] = [];
  for (const element of process.elements.values()) {
    for (const rule of rules) {
      for (const message of rule(element, process)) errors.push({ elementId: element.id, message });
    }
  }
  return errors;
}
