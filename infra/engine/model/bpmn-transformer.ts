/**
 * Turns a bpmn-moddle tree (with zeebe-bpmn-moddle extensions) into executable processes.
 * Validation is separate (bpmn-validator.ts); this module only reads what the model says.
 */
import {
  BindingType,
  ElementType,
  EventType,
  type ExecutableElement,
  type ExecutableProcess,
  type Expression,
  type VariableMapping,
} from './executable-model.js';

/** A bpmn-moddle element: typed loosely on purpose, the meta-model is data. */
export type ModdleElement = { $type: string; id?: string; [property: string]: any };

/**
 * Every flow element of a process, those of its sub-processes (event sub-processes too) included,
 * with the container holding it and the id of its closest ancestor that has one.
 */
export function* flowElementsOf(
  process: ModdleElement,
  outerId?: string,
): Generator<{ moddle: ModdleElement; container: ModdleElement; ancestorId: string | undefined }> {
  function* visit(container: ModdleElement, ancestorId: string | undefined): Generator<{ moddle: ModdleElement; container: ModdleElement; ancestorId: string | undefined }> {
    for (const moddle of (container.flowElements ?? []) as ModdleElement[]) {
      yield { moddle, container, ancestorId };
      if (moddle.$type === 'bpmn:SubProcess') yield* visit(moddle, moddle.id ?? ancestorId);
    }
  }
  yield* visit(process, process.id ?? outerId);
}

const TASK_TYPES: Record<string, ElementType> = {
  'bpmn:ServiceTask': ElementType.SERVICE_TASK,
  'bpmn:SendTask': ElementType.SEND_TASK,
  'bpmn:ScriptTask': ElementType.SCRIPT_TASK,
  'bpmn:UserTask': ElementType.USER_TASK,
  'bpmn:BusinessRuleTask': ElementType.BUSINESS_RULE_TASK,
  'bpmn:ReceiveTask': ElementType.RECEIVE_TASK,
  'bpmn:ManualTask': ElementType.MANUAL_TASK,
  'bpmn:Task': ElementType.TASK,
  'bpmn:CallActivity': ElementType.CALL_ACTIVITY,
};

const OTHER_TYPES: Record<string, ElementType> = {
  'bpmn:StartEvent': ElementType.START_EVENT,
  'bpmn:EndEvent': ElementType.END_EVENT,
  'bpmn:IntermediateCatchEvent': ElementType.INTERMEDIATE_CATCH_EVENT,
  'bpmn:IntermediateThrowEvent': ElementType.INTERMEDIATE_THROW_EVENT,
  'bpmn:BoundaryEvent': ElementType.BOUNDARY_EVENT,
  'bpmn:ExclusiveGateway': ElementType.EXCLUSIVE_GATEWAY,
  'bpmn:ParallelGateway': ElementType.PARALLEL_GATEWAY,
  'bpmn:InclusiveGateway': ElementType.INCLUSIVE_GATEWAY,
  'bpmn:EventBasedGateway': ElementType.EVENT_BASED_GATEWAY,
  'bpmn:SequenceFlow': ElementType.SEQUENCE_FLOW,
};

const EVENT_DEFINITION_TYPES: Record<string, EventType> = {
  'bpmn:MessageEventDefinition': EventType.MESSAGE,
  'bpmn:TimerEventDefinition': EventType.TIMER,
  'bpmn:ErrorEventDefinition': EventType.ERROR,
  'bpmn:SignalEventDefinition': EventType.SIGNAL,
  'bpmn:EscalationEventDefinition': EventType.ESCALATION,
  'bpmn:TerminateEventDefinition': EventType.TERMINATE,
  'bpmn:CompensateEventDefinition': EventType.COMPENSATION,
  'bpmn:LinkEventDefinition': EventType.LINK,
};

/** Element types we know of; anything else in a process is reported unsupported by the validator. */
export function elementTypeOf(moddle: ModdleElement): ElementType | undefined {
  if (moddle.$type === 'bpmn:SubProcess') {
    return moddle.triggeredByEvent ? ElementType.EVENT_SUB_PROCESS : ElementType.SUB_PROCESS;
  }
  return TASK_TYPES[moddle.$type] ?? OTHER_TYPES[moddle.$type];
}

export function eventTypeOf(moddle: ModdleElement): EventType | undefined {
  const definitions: ModdleElement[] = moddle.eventDefinitions ?? [];
  if (definitions.length === 0) return moddle.$type.endsWith('Event') ? EventType.NONE : EventType.UNSPECIFIED;
  return EVENT_DEFINITION_TYPES[definitions[0]!.$type];
}

export function expression(text: string | undefined): Expression | undefined {
  if (text === undefined || text === null) return undefined;
  const trimmed = String(text).trim();
  return trimmed.startsWith('=')
    ? { source: trimmed.slice(1).trim(), isFeel: true }
    : { source: trimmed, isFeel: false };
}

export function extension(moddle: ModdleElement, type: string): ModdleElement | undefined {
  return (moddle.extensionElements?.values as ModdleElement[] | undefined)?.find((v) => v.$type === type);
}

export function extensions(moddle: ModdleElement, type: string): ModdleElement[] {
  return ((moddle.extensionElements?.values as ModdleElement[] | undefined) ?? []).filter((v) => v.$type === type);
}

function mappings(parameters: ModdleElement[] | undefined): VariableMapping[] {
  return (parameters ?? []).map((p) => ({
    source: expression(p.source) ?? { source: 'null', isFeel: true },
    target: String(p.target),
  }));
}

function emptyElement(id: string, elementType: ElementType, flowScopeId: string | undefined): ExecutableElement {
  return {
    id, name: undefined, elementType, eventType: EventType.UNSPECIFIED, flowScopeId,
    incoming: [], outgoing: [], inputMappings: [], outputMappings: [], boundaryEventIds: [],
    attachedToId: undefined, interrupting: true, job: undefined, message: undefined, timer: undefined,
    errorCode: undefined, escalationCode: undefined, signalName: undefined, linkName: undefined,
    compensationActivityRef: undefined, isForCompensation: false, compensationHandlerId: undefined,
    defaultFlowId: undefined, sourceId: undefined, targetId: undefined, condition: undefined,
    noneStartEventId: undefined, startEventIds: [], eventSubProcessIds: [], childIds: [],
    script: undefined, calledElement: undefined, calledDecision: undefined, multiInstance: undefined, eventBasedTargets: [],
  };
}

function readEventDefinition(element: ExecutableElement, moddle: ModdleElement): void {
  const definition: ModdleElement | undefined = moddle.eventDefinitions?.[0];
  if (!definition) return;
  switch (definition.$type) {
    case 'bpmn:MessageEventDefinition':
      readMessage(element, definition.messageRef);
      break;
    case 'bpmn:TimerEventDefinition':
      element.timer = definition.timeDuration
        ? { kind: 'duration', expression: expression(definition.timeDuration.body)! }
        : definition.timeDate
          ? { kind: 'date', expression: expression(definition.timeDate.body)! }
          : definition.timeCycle
            ? { kind: 'cycle', expression: expression(definition.timeCycle.body)! }
            : undefined;
      break;
    case 'bpmn:ErrorEventDefinition':
      element.errorCode = expression(definition.errorRef?.errorCode || undefined);
      break;
    case 'bpmn:EscalationEventDefinition':
      element.escalationCode = expression(definition.escalationRef?.escalationCode || undefined);
      break;
    case 'bpmn:SignalEventDefinition':
      element.signalName = expression(definition.signalRef?.name);
      break;
    case 'bpmn:LinkEventDefinition':
      element.linkName = definition.name;
      break;
    case 'bpmn:CompensateEventDefinition':
      element.compensationActivityRef = definition.activityRef?.id;
      break;
  }
}

function readMessage(element: ExecutableElement, message: ModdleElement | undefined): void {
  if (!message) return;
  const subscription = extension(message, 'zeebe:Subscription');
  element.message = {
    id: message.id,
    name: expression(message.name) ?? { source: '', isFeel: false },
    correlationKey: expression(subscription?.correlationKey),
  };
}

function readActivity(element: ExecutableElement, moddle: ModdleElement): void {
  const taskDefinition = extension(moddle, 'zeebe:TaskDefinition');
  if (taskDefinition) {
    const headers: Record<string, string> = {};
    for (const header of extension(moddle, 'zeebe:TaskHeaders')?.values ?? []) headers[header.key] = header.value;
    element.job = {
      type: expression(taskDefinition.type) ?? { source: '', isFeel: false },
      retries: expression(taskDefinition.retries) ?? { source: '3', isFeel: false },
      headers,
    };
  }
  if (element.elementType === ElementType.USER_TASK && !element.job) {
    // Zeebe runs job-based user tasks as jobs of this reserved type.
    element.job = { type: { source: 'io.camunda.zeebe:userTask', isFeel: false }, retries: { source: '1', isFeel: false }, headers: {} };
  }
  const script = extension(moddle, 'zeebe:Script');
  if (script && !taskDefinition) {
    element.script = { expression: expression(script.expression)!, resultVariable: script.resultVariable };
  }
  const calledElement = extension(moddle, 'zeebe:CalledElement');
  if (calledElement) {
    element.calledElement = {
      processId: expression(calledElement.processId) ?? { source: '', isFeel: false },
      propagateAllChildVariables: calledElement.propagateAllChildVariables !== false,
      propagateAllParentVariables: calledElement.propagateAllParentVariables !== false,
    };
  }
  const calledDecision = extension(moddle, 'zeebe:CalledDecision');
  if (calledDecision) {
    element.calledDecision = {
      decisionId: expression(calledDecision.decisionId) ?? { source: '', isFeel: false },
      resultVariable: calledDecision.resultVariable ?? '',
      bindingType: calledDecision.bindingType ?? BindingType.LATEST,
      versionTag: expression(calledDecision.versionTag || undefined),
    };
  }
  if (element.elementType === ElementType.RECEIVE_TASK) readMessage(element, moddle.messageRef);
  element.isForCompensation = moddle.isForCompensation === true;
  const loop: ModdleElement | undefined = moddle.loopCharacteristics;
  if (loop?.$type === 'bpmn:MultiInstanceLoopCharacteristics') {
    const zeebeLoop = extension(loop, 'zeebe:LoopCharacteristics');
    element.multiInstance = {
      isSequential: loop.isSequential === true,
      inputCollection: expression(zeebeLoop?.inputCollection) ?? { source: '', isFeel: false },
      inputElement: zeebeLoop?.inputElement || undefined,
      outputCollection: zeebeLoop?.outputCollection || undefined,
      outputElement: expression(zeebeLoop?.outputElement),
      completionCondition: expression(loop.completionCondition?.body),
    };
  }
}

function readCommon(element: ExecutableElement, moddle: ModdleElement): void {
  element.name = moddle.name || undefined;
  element.eventType = eventTypeOf(moddle) ?? EventType.UNSPECIFIED;
  const io = extension(moddle, 'zeebe:IoMapping');
  element.inputMappings = mappings(io?.inputParameters);
  element.outputMappings = mappings(io?.outputParameters);
  element.defaultFlowId = moddle.default?.id;
  readEventDefinition(element, moddle);
  // A throw event or end event of type message behaves like a service task in Zeebe.
  if (element.eventType === EventType.MESSAGE || element.elementType in TASK_ELEMENT_TYPES) readActivity(element, moddle);
  if (element.elementType === ElementType.BOUNDARY_EVENT) {
    element.attachedToId = moddle.attachedToRef?.id;
    element.interrupting = moddle.cancelActivity !== false;
  }
  if (element.elementType === ElementType.START_EVENT) element.interrupting = moddle.isInterrupting !== false;
  if (element.elementType === ElementType.SEQUENCE_FLOW) {
    element.sourceId = moddle.sourceRef?.id;
    element.targetId = moddle.targetRef?.id;
    element.condition = expression(moddle.conditionExpression?.body);
  }
}

const TASK_ELEMENT_TYPES: Record<string, true> = Object.fromEntries(
  [...Object.values(TASK_TYPES), ElementType.SUB_PROCESS, ElementType.EVENT_SUB_PROCESS].map((t) => [t, true]),
);

function addContainer(
  process: ExecutableProcess,
  container: ModdleElement,
  containerId: string,
  associations: ModdleElement[],
): void {
  const scope = process.elements.get(containerId)!;
  for (const moddle of (container.flowElements ?? []) as ModdleElement[]) {
    const type = elementTypeOf(moddle);
    if (!type || !moddle.id) continue;
    const element = emptyElement(moddle.id, type, containerId);
    readCommon(element, moddle);
    process.elements.set(element.id, element);
    scope.childIds.push(element.id);
    if (type === ElementType.START_EVENT) {
      scope.startEventIds.push(element.id);
      if (element.eventType === EventType.NONE) scope.noneStartEventId = element.id;
    }
    if (type === ElementType.EVENT_SUB_PROCESS) scope.eventSubProcessIds.push(element.id);
    if (type === ElementType.SUB_PROCESS || type === ElementType.EVENT_SUB_PROCESS) {
      addContainer(process, moddle, element.id, associations);
    }
  }
  associations.push(...((container.artifacts ?? []) as ModdleElement[]).filter((a) => a.$type === 'bpmn:Association'));
}

function link(process: ExecutableProcess, associations: ModdleElement[]): void {
  for (const element of process.elements.values()) {
    if (element.elementType === ElementType.SEQUENCE_FLOW) {
      process.elements.get(element.sourceId ?? '')?.outgoing.push(element.id);
      process.elements.get(element.targetId ?? '')?.incoming.push(element.id);
    }
    if (element.elementType === ElementType.BOUNDARY_EVENT) {
      process.elements.get(element.attachedToId ?? '')?.boundaryEventIds.push(element.id);
    }
  }
  for (const association of associations) {
    const boundary = process.elements.get(association.sourceRef?.id ?? '');
    if (boundary?.eventType !== EventType.COMPENSATION || !boundary.attachedToId) continue;
    const activity = process.elements.get(boundary.attachedToId);
    if (activity) activity.compensationHandlerId = association.targetRef?.id;
  }
  for (const element of process.elements.values()) {
    if (element.elementType !== ElementType.EVENT_BASED_GATEWAY) continue;
    element.eventBasedTargets = element.outgoing.map((flowId) => process.elements.get(flowId)?.targetId ?? '');
  }
}

export function transformProcess(moddleProcess: ModdleElement): ExecutableProcess {
  const process: ExecutableProcess = { bpmnProcessId: moddleProcess.id!, name: moddleProcess.name, elements: new Map() };
  const root = emptyElement(moddleProcess.id!, ElementType.PROCESS, undefined);
  root.name = moddleProcess.name;
  process.elements.set(root.id, root);
  const associations: ModdleElement[] = [];
  addContainer(process, moddleProcess, root.id, associations);
  link(process, associations);
  return process;
}
