/**
 * What each exported record changes in the search projection, one projector per (valueType,
 * intent), as Camunda's exporter handlers turn records into secondary-storage documents. Records
 * without a projector (commands, rejections, timers, messages…) are skipped.
 */
import { ElementIntent, RecordType, ValueType, type ElementInstanceValue, type EngineRecord } from '../core/records.js';
import type { ProcessValue, VariableValue } from '../processing/appliers/record-appliers.js';
import type { DecisionRequirementsValue, DecisionValue } from '../state/decision-state.js';
import type { BatchOperationValue, IncidentValue } from '../state/engine-state.js';
import { BatchOperationExecutionIntent, BatchOperationIntent, BatchOperationLifecycleIntent, type BatchOperationExecutedValue } from '../processing/processors/batch-operation-processor.js';
import type { JobBatchValue, JobValue } from '../state/job-state.js';
import type { DeletableTable, ProjectionWriter } from './projection-writer.js';
import type { JobState } from './search-resources.js';

type Projector = (record: EngineRecord, writer: ProjectionWriter) => void;

/** Element instance states as Camunda 8.8's `ElementInstanceStateEnum` and `ProcessInstanceStateEnum`. */
export const InstanceState = { ACTIVE: 'ACTIVE', COMPLETED: 'COMPLETED', TERMINATED: 'TERMINATED' } as const;

const nullIfNegative = (key: number): number | null => (key > 0 ? key : null);

function startElement(record: EngineRecord, writer: ProjectionWriter): void {
  const value = record.value as unknown as ElementInstanceValue;
  writer.startElement({
    key: record.key, processInstanceKey: value.processInstanceKey, processDefinitionKey: value.processDefinitionKey,
    bpmnProcessId: value.bpmnProcessId, elementId: value.elementId, type: value.bpmnElementType, state: InstanceState.ACTIVE,
    flowScopeKey: value.flowScopeKey, startDate: record.timestamp, endDate: null, incidentKey: null, tenantId: value.tenantId,
  });
  if (value.bpmnElementType !== 'PROCESS') return;
  writer.startInstance({
    key: record.key, bpmnProcessId: value.bpmnProcessId, processDefinitionKey: value.processDefinitionKey, version: value.version,
    parentProcessInstanceKey: nullIfNegative(value.parentProcessInstanceKey), parentElementInstanceKey: nullIfNegative(value.parentElementInstanceKey),
    startDate: record.timestamp, endDate: null, state: InstanceState.ACTIVE, incidents: 0, tenantId: value.tenantId,
  });
}

function endElement(state: string): Projector {
  return (record, writer) => {
    writer.endElement(record.key, state, record.timestamp);
    if ((record.value as unknown as ElementInstanceValue).bpmnElementType === 'PROCESS') writer.endInstance(record.key, state, record.timestamp);
  };
}

function takeFlow(record: EngineRecord, writer: ProjectionWriter): void {
  const value = record.value as unknown as ElementInstanceValue;
  writer.takeFlow(value.processInstanceKey, value.elementId, value.processDefinitionKey, value.bpmnProcessId, value.tenantId);
}

function createIncident(record: EngineRecord, writer: ProjectionWriter): void {
  const value = record.value as unknown as IncidentValue;
  writer.addIncident({
    key: record.key, processInstanceKey: value.processInstanceKey, processDefinitionKey: value.processDefinitionKey,
    bpmnProcessId: value.bpmnProcessId, elementId: value.elementId, elementInstanceKey: value.elementInstanceKey,
    jobKey: nullIfNegative(value.jobKey), errorType: value.errorType, errorMessage: value.errorMessage,
    creationTime: record.timestamp, tenantId: value.tenantId,
  });
  writer.setElementIncident(value.elementInstanceKey, record.key);
  writer.countInstanceIncident(value.processInstanceKey, 1);
}

function resolveIncident(record: EngineRecord, writer: ProjectionWriter): void {
  const value = record.value as unknown as IncidentValue;
  writer.resolveIncident(record.key);
  writer.setElementIncident(value.elementInstanceKey, null);
  writer.countInstanceIncident(value.processInstanceKey, -1);
}

function putVariable(record: EngineRecord, writer: ProjectionWriter): void {
  const value = record.value as unknown as VariableValue;
  writer.putVariable(record.key, value.name, JSON.stringify(value.value ?? null), value.scopeKey, value.processInstanceKey, value.tenantId);
}

/**
 * Camunda's job states are the JOB event intents, but a job being worked on still reads CREATED:
 * each projected intent maps to a value of Camunda 8.8's `JobStateEnum`.
 */
const JOB_STATE_BY_INTENT = {
  CREATED: 'CREATED', ACTIVATED: 'CREATED', COMPLETED: 'COMPLETED', FAILED: 'FAILED', ERROR_THROWN: 'ERROR_THROWN', TIMED_OUT: 'TIMED_OUT',
  RETRIES_UPDATED: 'RETRIES_UPDATED', TIMEOUT_UPDATED: 'CREATED', RECURRED_AFTER_BACKOFF: 'CREATED', YIELDED: 'CREATED', CANCELED: 'CANCELED',
} as const satisfies Record<string, JobState>;
type JobEventIntent = keyof typeof JOB_STATE_BY_INTENT;

function putJob(record: EngineRecord, writer: ProjectionWriter): void {
  writeJob(record.key, record.intent as JobEventIntent, record.timestamp, record.value as unknown as JobValue, writer);
}

function writeJob(key: number, intent: JobEventIntent, timestamp: number, value: JobValue, writer: ProjectionWriter): void {
  const ended = intent === 'COMPLETED' || intent === 'CANCELED' || intent === 'ERROR_THROWN';
  writer.putJob({
    key, type: value.type, worker: value.worker ?? '', state: JOB_STATE_BY_INTENT[intent], retries: value.retries,
    errorMessage: value.errorMessage || null, errorCode: value.errorCode || null, elementId: value.elementId,
    elementInstanceKey: value.elementInstanceKey, processInstanceKey: value.processInstanceKey,
    processDefinitionKey: value.processDefinitionKey, bpmnProcessId: value.bpmnProcessId,
    deadline: value.deadline > 0 ? value.deadline : null, endTime: ended ? timestamp : null,
    customHeaders: JSON.stringify(value.customHeaders ?? {}), tenantId: value.tenantId,
  });
}

/** An activation is a JOB_BATCH event: each of its jobs is projected as its JOB event would be. */
function putActivatedJobs(record: EngineRecord, writer: ProjectionWriter): void {
  const batch = record.value as unknown as JobBatchValue;
  batch.jobKeys.forEach((key, i) => writeJob(key, 'ACTIVATED', record.timestamp, batch.jobs[i]!, writer));
}

function createDefinition(record: EngineRecord, writer: ProjectionWriter): void {
  const value = record.value as unknown as ProcessValue;
  if (value.duplicate) return;
  writer.addDefinition({
    key: record.key, bpmnProcessId: value.bpmnProcessId, version: value.version, resourceName: value.resourceName,
    xml: value.xml, tenantId: (value as { tenantId?: string }).tenantId ?? '<default>', deployedAt: value.deployedAt ?? record.timestamp,
  });
}

function createDecisionRequirements(record: EngineRecord, writer: ProjectionWriter): void {
  const value = record.value as unknown as DecisionRequirementsValue;
  writer.addDecisionRequirements({
    key: record.key, decisionRequirementsId: value.decisionRequirementsId, name: value.decisionRequirementsName,
    version: value.decisionRequirementsVersion, resourceName: value.resourceName, xml: value.resource, tenantId: value.tenantId,
  });
}

function createDecision(record: EngineRecord, writer: ProjectionWriter): void {
  const value = record.value as unknown as DecisionValue;
  writer.addDecision({
    key: record.key, decisionId: value.decisionId, name: value.decisionName, version: value.version,
    decisionRequirementsId: value.decisionRequirementsId, decisionRequirementsKey: value.decisionRequirementsKey, tenantId: value.tenantId,
  });
}

function startBatchOperation(record: EngineRecord, writer: ProjectionWriter): void {
  const value = record.value as unknown as BatchOperationValue;
  writer.startBatchOperation(record.key, value.batchOperationType, record.timestamp, value.itemKeys.length);
}

function executeBatchOperationItems(record: EngineRecord, writer: ProjectionWriter): void {
  const { items } = record.value as unknown as BatchOperationExecutedValue;
  writer.addBatchOperationItems(record.key, items.map((item) => ({
    itemKey: item.itemKey, processInstanceKey: nullIfNegative(item.processInstanceKey), state: item.state, errorMessage: item.errorMessage ?? null,
  })), record.timestamp);
}

const markDeleted = (table: DeletableTable): Projector => (record, writer) => writer.markDeleted(table, record.key);

const projectors = new Map<string, Projector>([
  [`${ValueType.PROCESS}:CREATED`, createDefinition],
  [`${ValueType.PROCESS}:DELETED`, markDeleted('process_definitions')],
  [`${ValueType.DECISION_REQUIREMENTS}:CREATED`, createDecisionRequirements],
  [`${ValueType.DECISION_REQUIREMENTS}:DELETED`, markDeleted('decision_requirements')],
  [`${ValueType.DECISION}:CREATED`, createDecision],
  [`${ValueType.DECISION}:DELETED`, markDeleted('decision_definitions')],
  [`${ValueType.PROCESS_INSTANCE}:${ElementIntent.ELEMENT_ACTIVATING}`, startElement],
  [`${ValueType.PROCESS_INSTANCE}:${ElementIntent.ELEMENT_COMPLETED}`, endElement(InstanceState.COMPLETED)],
  [`${ValueType.PROCESS_INSTANCE}:${ElementIntent.ELEMENT_TERMINATED}`, endElement(InstanceState.TERMINATED)],
  [`${ValueType.PROCESS_INSTANCE}:${ElementIntent.SEQUENCE_FLOW_TAKEN}`, takeFlow],
  [`${ValueType.INCIDENT}:CREATED`, createIncident],
  [`${ValueType.INCIDENT}:RESOLVED`, resolveIncident],
  [`${ValueType.VARIABLE}:CREATED`, putVariable],
  [`${ValueType.VARIABLE}:UPDATED`, putVariable],
  [`${ValueType.JOB_BATCH}:ACTIVATED`, putActivatedJobs],
  [`${ValueType.BATCH_OPERATION_CREATION}:${BatchOperationIntent.CREATED}`, startBatchOperation],
  [`${ValueType.BATCH_OPERATION_EXECUTION}:${BatchOperationExecutionIntent.EXECUTED}`, executeBatchOperationItems],
  [`${ValueType.BATCH_OPERATION_LIFECYCLE_MANAGEMENT}:${BatchOperationLifecycleIntent.COMPLETED}`, (record, writer) => writer.endBatchOperation(record.key, record.timestamp)],
  // Every JOB event with a state; JOB ACTIVATED stays for record logs written before activations were JOB_BATCH events only.
  ...Object.keys(JOB_STATE_BY_INTENT).map((intent) => [`${ValueType.JOB}:${intent}`, putJob] as [string, Projector]),
]);

/** Applies one record; returns false when the projection has nothing to do with it. */
export function projectRecord(record: EngineRecord, writer: ProjectionWriter): boolean {
  if (record.recordType !== RecordType.EVENT) return false;
  const projector = projectors.get(`${record.valueType}:${record.intent}`);
  if (!projector) return false;
  projector(record, writer);
  return true;
}
