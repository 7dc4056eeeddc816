/**
 * A deployed process as the engine executes it: plain data, transformed once from BPMN XML.
 * Element and event type names are Zeebe's BpmnElementType and BpmnEventType.
 */
export const ElementType = {
  PROCESS: 'PROCESS',
  SUB_PROCESS: 'SUB_PROCESS',
  EVENT_SUB_PROCESS: 'EVENT_SUB_PROCESS',
  START_EVENT: 'START_EVENT',
  INTERMEDIATE_CATCH_EVENT: 'INTERMEDIATE_CATCH_EVENT',
  INTERMEDIATE_THROW_EVENT: 'INTERMEDIATE_THROW_EVENT',
  BOUNDARY_EVENT: 'BOUNDARY_EVENT',
  END_EVENT: 'END_EVENT',
  SERVICE_TASK: 'SERVICE_TASK',
  SEND_TASK: 'SEND_TASK',
  SCRIPT_TASK: 'SCRIPT_TASK',
  USER_TASK: 'USER_TASK',
  BUSINESS_RULE_TASK: 'BUSINESS_RULE_TASK',
  RECEIVE_TASK: 'RECEIVE_TASK',
  MANUAL_TASK: 'MANUAL_TASK',
  TASK: 'TASK',
  EXCLUSIVE_GATEWAY: 'EXCLUSIVE_GATEWAY',
  PARALLEL_GATEWAY: 'PARALLEL_GATEWAY',
  INCLUSIVE_GATEWAY: 'INCLUSIVE_GATEWAY',
  EVENT_BASED_GATEWAY: 'EVENT_BASED_GATEWAY',
  CALL_ACTIVITY: 'CALL_ACTIVITY',
  MULTI_INSTANCE_BODY: 'MULTI_INSTANCE_BODY',
  SEQUENCE_FLOW: 'SEQUENCE_FLOW',
} as const;
export type ElementType = (typeof ElementType)[keyof typeof ElementType];

export const EventType = {
  UNSPECIFIED: 'UNSPECIFIED',
  NONE: 'NONE',
  MESSAGE: 'MESSAGE',
  TIMER: 'TIMER',
  ERROR: 'ERROR',
  SIGNAL: 'SIGNAL',
  ESCALATION: 'ESCALATION',
  TERMINATE: 'TERMINATE',
  COMPENSATION: 'COMPENSATION',
  LINK: 'LINK',
} as const;
export type EventType = (typeof EventType)[keyof typeof EventType];

/** A value that is either static text or a FEEL expression (the `=` prefix in Zeebe models). */
export interface Expression {
  source: string;
  isFeel: boolean;
}

export interface VariableMapping {
  source: Expression;
  target: string;
}

export interface JobDefinition {
  type: Expression;
  retries: Expression;
  headers: Record<string, string>;
}

export interface MessageDefinition {
  /** The bpmn:message referenced, which several events may share. */
  id: string | undefined;
  name: Expression;
  correlationKey: Expression | undefined;
}

export interface TimerDefinition {
  kind: 'duration' | 'date' | 'cycle';
  expression: Expression;
}

export interface MultiInstanceDefinition {
  isSequential: boolean;
  inputCollection: Expression;
  inputElement: string | undefined;
  outputCollection: string | undefined;
  outputElement: Expression | undefined;
  completionCondition: Expression | undefined;
}

export interface CalledElement {
  processId: Expression;
  propagateAllChildVariables: boolean;
  propagateAllParentVariables: boolean;
}

/** Zeebe's binding types: which version of a called resource is used. */
export const BindingType = {
  LATEST: 'latest',
  DEPLOYMENT: 'deployment',
  VERSION_TAG: 'versionTag',
} as const;
export type BindingType = (typeof BindingType)[keyof typeof BindingType];

/** A business rule task's `zeebe:calledDecision`: the decision evaluated and where its result goes. */
export interface CalledDecision {
  decisionId: Expression;
  resultVariable: string;
  /** As written; the validator refuses anything but a {@link BindingType}. */
  bindingType: string;
  versionTag: Expression | undefined;
}

export interface ExecutableElement {
  id: string;
  name: string | undefined;
  elementType: ElementType;
  eventType: EventType;
  /** The process or sub-process that contains this element; undefined for the process itself. */
  flowScopeId: string | undefined;
  incoming: string[];
  outgoing: string[];
  inputMappings: VariableMapping[];
  outputMappings: VariableMapping[];
  /** Boundary events attached to this activity. */
  boundaryEventIds: string[];
  /** For boundary events: the activity they are attached to. */
  attachedToId: string | undefined;
  /** Boundary events and event sub-process start events: whether triggering interrupts the scope. */
  interrupting: boolean;
  job: JobDefinition | undefined;
  message: MessageDefinition | undefined;
  timer: TimerDefinition | undefined;
  /**
   * Error or escalation code to throw or to catch; undefined on a catch event catches every one.
   * A throw event's code may be a FEEL expression; a catch event's is static (Zeebe refuses others).
   */
  errorCode: Expression | undefined;
  escalationCode: Expression | undefined;
  signalName: Expression | undefined;
  linkName: string | undefined;
  /** Compensation throw events: the activity to compensate, all completed ones when undefined. */
  compensationActivityRef: string | undefined;
  /** Activities marked isForCompensation: never reached by a sequence flow. */
  isForCompensation: boolean;
  /** For activities with a compensation boundary event: the handler activity id. */
  compensationHandlerId: string | undefined;
  /** Exclusive and inclusive gateways, and activities with a default flow. */
  defaultFlowId: string | undefined;
  /** Sequence flows. */
  sourceId: string | undefined;
  targetId: string | undefined;
  condition: Expression | undefined;
  /** Containers (process, sub-process, event sub-process). */
  noneStartEventId: string | undefined;
  startEventIds: string[];
  eventSubProcessIds: string[];
  childIds: string[];
  script: { expression: Expression; resultVariable: string } | undefined;
  calledElement: CalledElement | undefined;
  calledDecision: CalledDecision | undefined;
  multiInstance: MultiInstanceDefinition | undefined;
  /** The element the event-based gateway waits on, for each of its outgoing flows. */
  eventBasedTargets: string[];
}

export interface ExecutableProcess {
  bpmnProcessId: string;
  name: string | undefined;
  elements: Map<string, ExecutableElement>;
}

export function elementOf(process: ExecutableProcess, elementId: string): ExecutableElement {
  const element = process.elements.get(elementId);
  if (!element) {
    throw new Error(`Expected element '${elementId}' in process '${process.bpmnProcessId}', but it does not exist`);
  }
  return element;
}

/** The ids of an element's flow scopes, innermost first, up to the process. */
export function flowScopeIdsOf(process: ExecutableProcess, element: ExecutableElement): string[] {
  const ids: string[] = [];
  for (let id = element.flowScopeId; id !== undefined; id = elementOf(process, id).flowScopeId) ids.push(id);
  return ids;
}

/** An element an event-based gateway leads to: it is entered only through the gateway's event. */
export function followsEventBasedGateway(process: ExecutableProcess, element: ExecutableElement): boolean {
  return element.incoming.some((flowId) => {
    const source = process.elements.get(process.elements.get(flowId)?.sourceId ?? '');
    return source?.elementType === ElementType.EVENT_BASED_GATEWAY;
  });
}

/** The link catch event a link throw event continues at: same name, same scope. */
export function linkCatchEventOf(process: ExecutableProcess, thrower: ExecutableElement): ExecutableElement | undefined {
  for (const element of process.elements.values()) {
    const isLinkCatch = element.elementType === ElementType.INTERMEDIATE_CATCH_EVENT && element.eventType === EventType.LINK;
    if (isLinkCatch && element.linkName === thrower.linkName && element.flowScopeId === thrower.flowScopeId) return element;
  }
  return undefined;
}

export function isActivity(type: ElementType): boolean {
  return ACTIVITY_TYPES.has(type);
}

const ACTIVITY_TYPES: ReadonlySet<ElementType> = new Set<ElementType>([
  ElementType.SERVICE_TASK,
  ElementType.SEND_TASK,
  ElementType.SCRIPT_TASK,
  ElementType.USER_TASK,
  ElementType.BUSINESS_RULE_TASK,
  ElementType.RECEIVE_TASK,
  ElementType.MANUAL_TASK,
  ElementType.TASK,
  ElementType.SUB_PROCESS,
  ElementType.CALL_ACTIVITY,
]);
