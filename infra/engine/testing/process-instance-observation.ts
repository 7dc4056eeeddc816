/**
 * What the record log says about one process instance: its lifecycle, the elements it passed and
 * is waiting at, its message subscriptions, incidents and variables. Assertions are built on it.
 */
import { ElementIntent, ValueType, type EngineRecord } from '../core/records.js';

export const InstanceState = {
  NOT_FOUND: 'not found',
  ACTIVE: 'active',
  COMPLETED: 'completed',
  TERMINATED: 'terminated',
} as const;
export type InstanceState = (typeof InstanceState)[keyof typeof InstanceState];

export interface MessageSubscriptionObservation {
  messageName: string;
  correlationKey: string;
}

export interface IncidentObservation {
  key: number;
  errorType: string;
  errorMessage: string;
  elementId: string;
}

export interface ProcessInstanceObservation {
  state: InstanceState;
  /** Element ids in the order the elements completed; the process itself, sequence flows and interrupted elements left out. */
  completedElements: string[];
  /** Element ids of element instances activated and not yet completed or terminated. */
  activeElements: string[];
  openMessageSubscriptions: MessageSubscriptionObservation[];
  correlatedMessages: string[];
  activeIncidents: IncidentObservation[];
  /** The latest value of each variable in the process instance's own (root) scope. */
  variables: Map<string, unknown>;
}

interface InstanceValue {
  processInstanceKey?: number;
  elementId?: string;
  bpmnElementType?: string;
  messageName?: string;
  correlationKey?: string;
  interrupting?: boolean;
  name?: string;
  value?: unknown;
  scopeKey?: number;
  errorType?: string;
  errorMessage?: string;
}

/** Folds the records of the process instance `processInstanceKey` into what a test asserts on. */
export function observeProcessInstance(records: readonly EngineRecord[], processInstanceKey: number): ProcessInstanceObservation {
  const observation: ProcessInstanceObservation = {
    state: InstanceState.NOT_FOUND, completedElements: [], activeElements: [], openMessageSubscriptions: [],
    correlatedMessages: [], activeIncidents: [], variables: new Map(),
  };
  const active = new Map<number, string>();
  const subscriptions = new Map<number, MessageSubscriptionObservation>();
  const incidents = new Map<number, IncidentObservation>();
  for (const record of records) {
    const value = record.value as InstanceValue;
    if (record.recordType !== 'EVENT' || value.processInstanceKey !== processInstanceKey) continue;
    if (record.valueType === ValueType.PROCESS_INSTANCE) observeElement(observation, active, record, value);
    else if (record.valueType === ValueType.MESSAGE_SUBSCRIPTION) observeSubscription(observation, subscriptions, record, value);
    else if (record.valueType === ValueType.MESSAGE_START_EVENT_SUBSCRIPTION && record.intent === 'CORRELATED') observation.correlatedMessages.push(value.messageName ?? '');
    else if (record.valueType === ValueType.INCIDENT) observeIncident(incidents, record, value);
    else if (record.valueType === ValueType.VARIABLE && value.scopeKey === processInstanceKey) observation.variables.set(value.name ?? '', value.value);
  }
  observation.activeElements = [...active.values()];
  observation.openMessageSubscriptions = [...subscriptions.values()];
  observation.activeIncidents = [...incidents.values()];
  return observation;
}

function observeElement(observation: ProcessInstanceObservation, active: Map<number, string>, record: EngineRecord, value: InstanceValue): void {
  const elementId = value.elementId ?? '';
  if (value.bpmnElementType === 'PROCESS' && record.key === value.processInstanceKey) {
    if (record.intent === ElementIntent.ELEMENT_ACTIVATED) observation.state = InstanceState.ACTIVE;
    else if (record.intent === ElementIntent.ELEMENT_COMPLETED) observation.state = InstanceState.COMPLETED;
    else if (record.intent === ElementIntent.ELEMENT_TERMINATED) observation.state = InstanceState.TERMINATED;
  }
  if (value.bpmnElementType === 'PROCESS' || value.bpmnElementType === 'SEQUENCE_FLOW') return;
  if (record.intent === ElementIntent.ELEMENT_ACTIVATED) active.set(record.key, elementId);
  else if (record.intent === ElementIntent.ELEMENT_COMPLETED) {
    active.delete(record.key);
    observation.completedElements.push(elementId);
  } else if (record.intent === ElementIntent.ELEMENT_TERMINATED) active.delete(record.key);
}

function observeSubscription(observation: ProcessInstanceObservation, open: Map<number, MessageSubscriptionObservation>, record: EngineRecord, value: InstanceValue): void {
  if (record.intent === 'CREATED') open.set(record.key, { messageName: value.messageName ?? '', correlationKey: value.correlationKey ?? '' });
  else if (record.intent === 'DELETED') open.delete(record.key);
  else if (record.intent === 'CORRELATED') {
    observation.correlatedMessages.push(value.messageName ?? '');
    // A non-interrupting boundary keeps its subscription open for further messages.
    if (value.interrupting !== false) open.delete(record.key);
  }
}

function observeIncident(incidents: Map<number, IncidentObservation>, record: EngineRecord, value: InstanceValue): void {
  if (record.intent === 'CREATED') {
    incidents.set(record.key, { key: record.key, errorType: value.errorType ?? '', errorMessage: value.errorMessage ?? '', elementId: value.elementId ?? '' });
  } else if (record.intent === 'RESOLVED') incidents.delete(record.key);
}

/** The observation in a few lines, for a failed assertion's message. */
export function describeObservation(observation: ProcessInstanceObservation): string {
  const list = (items: string[]) => (items.length ? items.join(', ') : 'none');
  const ids = (items: string[]) => list(items.map((id) => `'${id}'`));
  const variables = [...observation.variables].map(([name, value]) => `${name}=${JSON.stringify(value)}`);
  return [
    `state: ${observation.state}`,
    `passed elements: ${ids(observation.completedElements)}`,
    `waiting at elements: ${ids(observation.activeElements)}`,
    `waiting for messages: ${list(observation.openMessageSubscriptions.map((s) => `'${s.messageName}' (correlation key '${s.correlationKey}')`))}`,
    `correlated messages: ${ids(observation.correlatedMessages)}`,
    `active incidents: ${list(observation.activeIncidents.map((i) => `${i.errorType} at ${i.elementId}: ${i.errorMessage}`))}`,
    `variables: ${variables.length ? variables.join(', ') : 'none'}`,
  ].join('\n  ');
}
