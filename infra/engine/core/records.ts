/**
 * Everything the engine does is a record: a command asks for a change, an event says it happened,
 * a rejection says why a command was refused. Names follow Zeebe's protocol (ValueType, Intent).
 */
export const RecordType = {
  COMMAND: 'COMMAND',
  EVENT: 'EVENT',
  COMMAND_REJECTION: 'COMMAND_REJECTION',
} as const;
export type RecordType = (typeof RecordType)[keyof typeof RecordType];

export const ValueType = {
  DEPLOYMENT: 'DEPLOYMENT',
  PROCESS: 'PROCESS',
  PROCESS_INSTANCE: 'PROCESS_INSTANCE',
  PROCESS_INSTANCE_CREATION: 'PROCESS_INSTANCE_CREATION',
  PROCESS_INSTANCE_MODIFICATION: 'PROCESS_INSTANCE_MODIFICATION',
  PROCESS_INSTANCE_RESULT: 'PROCESS_INSTANCE_RESULT',
  PROCESS_EVENT: 'PROCESS_EVENT',
  JOB: 'JOB',
  JOB_BATCH: 'JOB_BATCH',
  VARIABLE: 'VARIABLE',
  VARIABLE_DOCUMENT: 'VARIABLE_DOCUMENT',
  INCIDENT: 'INCIDENT',
  MESSAGE: 'MESSAGE',
  MESSAGE_SUBSCRIPTION: 'MESSAGE_SUBSCRIPTION',
  MESSAGE_START_EVENT_SUBSCRIPTION: 'MESSAGE_START_EVENT_SUBSCRIPTION',
  TIMER: 'TIMER',
  ERROR: 'ERROR',
  SIGNAL: 'SIGNAL',
  SIGNAL_SUBSCRIPTION: 'SIGNAL_SUBSCRIPTION',
  ESCALATION: 'ESCALATION',
  COMPENSATION_SUBSCRIPTION: 'COMPENSATION_SUBSCRIPTION',
  RESOURCE_DELETION: 'RESOURCE_DELETION',
  DECISION: 'DECISION',
  DECISION_REQUIREMENTS: 'DECISION_REQUIREMENTS',
  DECISION_EVALUATION: 'DECISION_EVALUATION',
  BATCH_OPERATION_CREATION: 'BATCH_OPERATION_CREATION',
  BATCH_OPERATION_EXECUTION: 'BATCH_OPERATION_EXECUTION',
  BATCH_OPERATION_LIFECYCLE_MANAGEMENT: 'BATCH_OPERATION_LIFECYCLE_MANAGEMENT',
} as const;
export type ValueType = (typeof ValueType)[keyof typeof ValueType];

/** Element lifecycle intents of PROCESS_INSTANCE records, as in Zeebe's ProcessInstanceIntent. */
export const ElementIntent = {
  ACTIVATE_ELEMENT: 'ACTIVATE_ELEMENT',
  COMPLETE_ELEMENT: 'COMPLETE_ELEMENT',
  TERMINATE_ELEMENT: 'TERMINATE_ELEMENT',
  CANCEL: 'CANCEL',
  ELEMENT_ACTIVATING: 'ELEMENT_ACTIVATING',
  ELEMENT_ACTIVATED: 'ELEMENT_ACTIVATED',
  ELEMENT_COMPLETING: 'ELEMENT_COMPLETING',
  ELEMENT_COMPLETED: 'ELEMENT_COMPLETED',
  ELEMENT_TERMINATING: 'ELEMENT_TERMINATING',
  ELEMENT_TERMINATED: 'ELEMENT_TERMINATED',
  SEQUENCE_FLOW_TAKEN: 'SEQUENCE_FLOW_TAKEN',
} as const;
export type ElementIntent = (typeof ElementIntent)[keyof typeof ElementIntent];

export interface EngineRecord<V = Record<string, unknown>> {
  position: number;
  key: number;
  recordType: RecordType;
  valueType: ValueType;
  intent: string;
  timestamp: number;
  value: V;
  rejectionType?: string;
  rejectionReason?: string;
}

/** The fields of PROCESS_INSTANCE record values, as Zeebe's ProcessInstanceRecord. */
export interface ElementInstanceValue {
  bpmnProcessId: string;
  version: number;
  processDefinitionKey: number;
  processInstanceKey: number;
  elementId: string;
  flowScopeKey: number;
  bpmnElementType: string;
  bpmnEventType: string;
  parentProcessInstanceKey: number;
  parentElementInstanceKey: number;
  tenantId: string;
}

export const DEFAULT_TENANT = '<default>';
