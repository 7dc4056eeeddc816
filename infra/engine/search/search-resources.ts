/**
 * The searchable resources of Camunda 8.8's REST API over the projection's tables: field names,
 * enum values and item shapes as the `/v2` specification has them (keys as strings, dates as
 * ISO 8601).
 */
import { FieldKind, whereClause, type FieldSpec, type FilterGroup, type Operators, type ResourceModel, type SqlCondition } from './search-query.js';

/** Camunda 8.8's element instance `type` values; an engine type outside them reads as UNKNOWN. */
export const ELEMENT_TYPES = [
  'UNSPECIFIED', 'PROCESS', 'SUB_PROCESS', 'EVENT_SUB_PROCESS', 'AD_HOC_SUB_PROCESS', 'AD_HOC_SUB_PROCESS_INNER_INSTANCE',
  'START_EVENT', 'INTERMEDIATE_CATCH_EVENT', 'INTERMEDIATE_THROW_EVENT', 'BOUNDARY_EVENT', 'END_EVENT', 'SERVICE_TASK',
  'RECEIVE_TASK', 'USER_TASK', 'MANUAL_TASK', 'TASK', 'EXCLUSIVE_GATEWAY', 'INCLUSIVE_GATEWAY', 'PARALLEL_GATEWAY',
  'EVENT_BASED_GATEWAY', 'SEQUENCE_FLOW', 'MULTI_INSTANCE_BODY', 'CALL_ACTIVITY', 'BUSINESS_RULE_TASK', 'SCRIPT_TASK',
  'SEND_TASK', 'UNKNOWN',
] as const;
export const INSTANCE_STATES = ['ACTIVE', 'COMPLETED', 'TERMINATED'] as const;
export const INCIDENT_STATES = ['ACTIVE', 'MIGRATED', 'RESOLVED', 'PENDING'] as const;
export const INCIDENT_ERROR_TYPES = [
  'UNSPECIFIED', 'UNKNOWN', 'IO_MAPPING_ERROR', 'JOB_NO_RETRIES', 'EXECUTION_LISTENER_NO_RETRIES', 'TASK_LISTENER_NO_RETRIES',
  'AD_HOC_SUB_PROCESS_NO_RETRIES', 'CONDITION_ERROR', 'EXTRACT_VALUE_ERROR', 'CALLED_ELEMENT_ERROR', 'UNHANDLED_ERROR_EVENT',
  'MESSAGE_SIZE_EXCEEDED', 'CALLED_DECISION_ERROR', 'DECISION_EVALUATION_ERROR', 'FORM_NOT_FOUND', 'RESOURCE_NOT_FOUND',
] as const;
/** Camunda 8.8's `JobStateEnum`: what the projection writes as a job's state is one of these. */
export const JOB_STATES = ['CANCELED', 'COMPLETED', 'CREATED', 'ERROR_THROWN', 'FAILED', 'MIGRATED', 'RETRIES_UPDATED', 'TIMED_OUT'] as const;
export type JobState = (typeof JOB_STATES)[number];
export const JOB_KINDS = ['BPMN_ELEMENT', 'EXECUTION_LISTENER', 'TASK_LISTENER', 'AD_HOC_SUB_PROCESS'] as const;
export const JOB_LISTENER_EVENT_TYPES = ['ASSIGNING', 'CANCELING', 'COMPLETING', 'CREATING', 'END', 'START', 'UNSPECIFIED', 'UPDATING'] as const;

/** Camunda truncates variable values in search results at this many characters. */
export const VARIABLE_PREVIEW_LENGTH = 8191;

const field = (sql: string, kind: FieldKind, extra: Partial<FieldSpec> = {}): FieldSpec => ({ sql, kind, filterable: true, sortable: true, ...extra });
const enumField = (sql: string, values: readonly string[]): FieldSpec => field(sql, FieldKind.ENUM, { values });
const key = (value: unknown): string => String(value);
const optionalKey = (value: unknown): string | undefined => (value === null || value === undefined ? undefined : String(value));
const isoDate = (value: unknown): string => new Date(value as number).toISOString();
const optionalDate = (value: unknown): string | undefined => (value === null || value === undefined ? undefined : isoDate(value));
const oneOf = <T extends string>(values: readonly T[], value: unknown, fallback: T): T => (values.includes(value as T) ? (value as T) : fallback);

export const processDefinitions: ResourceModel<Record<string, unknown>> = {
  noun: 'process definition',
  from: 'process_definitions pd',
  select: 'pd.key, pd.bpmn_process_id, pd.version, pd.version_tag, pd.name, pd.resource_name, pd.tenant_id',
  where: 'pd.deleted = 0',
  key: 'pd.key',
  fields: {
    processDefinitionKey: field('pd.key', FieldKind.KEY),
    processDefinitionId: field('pd.bpmn_process_id', FieldKind.STRING),
    name: field('pd.name', FieldKind.STRING, { sortSql: "COALESCE(pd.name, '')" }),
    resourceName: field('pd.resource_name', FieldKind.STRING),
    version: field('pd.version', FieldKind.INTEGER),
    versionTag: field('pd.version_tag', FieldKind.STRING, { sortSql: "COALESCE(pd.version_tag, '')" }),
    tenantId: field('pd.tenant_id', FieldKind.STRING),
    isLatestVersion: field('(pd.version = (SELECT MAX(p2.version) FROM process_definitions p2 WHERE p2.bpmn_process_id = pd.bpmn_process_id AND p2.deleted = 0))', FieldKind.BOOLEAN, { sortable: false }),
    hasStartForm: field('0', FieldKind.BOOLEAN, { sortable: false }),
  },
  toItem: (row) => ({
    processDefinitionKey: key(row.key),
    processDefinitionId: row.bpmn_process_id,
    ...(row.name ? { name: row.name } : {}),
    resourceName: row.resource_name,
    version: row.version,
    ...(row.version_tag ? { versionTag: row.version_tag } : {}),
    tenantId: row.tenant_id,
    hasStartForm: false,
  }),
};

/** Camunda 8.8's decision definitions: one per `decision` of a deployed DMN file, versioned by its id. */
export const decisionDefinitions: ResourceModel<Record<string, unknown>> = {
  noun: 'decision definition',
  from: 'decision_definitions dd',
  select: 'dd.*',
  where: 'dd.deleted = 0',
  key: 'dd.key',
  fields: {
    decisionDefinitionKey: field('dd.key', FieldKind.KEY),
    decisionDefinitionId: field('dd.decision_id', FieldKind.STRING),
    name: field('dd.name', FieldKind.STRING),
    version: field('dd.version', FieldKind.INTEGER),
    decisionRequirementsId: field('dd.decision_requirements_id', FieldKind.STRING),
    decisionRequirementsKey: field('dd.decision_requirements_key', FieldKind.KEY),
    tenantId: field('dd.tenant_id', FieldKind.STRING),
  },
  toItem: (row) => ({
    decisionDefinitionKey: key(row.key),
    decisionDefinitionId: row.decision_id,
    name: row.name,
    version: row.version,
    decisionRequirementsId: row.decision_requirements_id,
    decisionRequirementsKey: key(row.decision_requirements_key),
    tenantId: row.tenant_id,
  }),
};

/** Camunda 8.8's decision requirements: one per deployed DMN file (its `definitions`), versioned by its id. */
export const decisionRequirements: ResourceModel<Record<string, unknown>> = {
  noun: 'decision requirements',
  from: 'decision_requirements dr',
  select: 'dr.key, dr.decision_requirements_id, dr.name, dr.version, dr.resource_name, dr.tenant_id',
  where: 'dr.deleted = 0',
  key: 'dr.key',
  fields: {
    decisionRequirementsKey: field('dr.key', FieldKind.KEY),
    decisionRequirementsId: field('dr.decision_requirements_id', FieldKind.STRING),
    decisionRequirementsName: field('dr.name', FieldKind.STRING),
    version: field('dr.version', FieldKind.INTEGER),
    resourceName: field('dr.resource_name', FieldKind.STRING, { sortable: false }),
    tenantId: field('dr.tenant_id', FieldKind.STRING),
  },
  toItem: (row) => ({
    decisionRequirementsKey: key(row.key),
    decisionRequirementsId: row.decision_requirements_id,
    decisionRequirementsName: row.name,
    version: row.version,
    resourceName: row.resource_name,
    tenantId: row.tenant_id,
  }),
};

export const processInstances: ResourceModel<Record<string, unknown>> = {
  noun: 'process instance',
  from: 'process_instances pi LEFT JOIN process_definitions pd ON pd.key = pi.process_definition_key',
  select: 'pi.*, pd.name AS definition_name, pd.version_tag',
  where: '1',
  key: 'pi.key',
  fields: {
    processInstanceKey: field('pi.key', FieldKind.KEY),
    processDefinitionId: field('pi.bpmn_process_id', FieldKind.STRING),
    processDefinitionName: field('COALESCE(pd.name, pi.bpmn_process_id)', FieldKind.STRING),
    processDefinitionVersion: field('pi.version', FieldKind.INTEGER),
    processDefinitionVersionTag: field('pd.version_tag', FieldKind.STRING, { sortSql: "COALESCE(pd.version_tag, '')" }),
    processDefinitionKey: field('pi.process_definition_key', FieldKind.KEY),
    parentProcessInstanceKey: field('pi.parent_process_instance_key', FieldKind.KEY, { sortSql: 'COALESCE(pi.parent_process_instance_key, 0)' }),
    parentElementInstanceKey: field('pi.parent_element_instance_key', FieldKind.KEY, { sortSql: 'COALESCE(pi.parent_element_instance_key, 0)' }),
    startDate: field('pi.start_date', FieldKind.DATE),
    endDate: field('pi.end_date', FieldKind.DATE, { sortSql: 'COALESCE(pi.end_date, 0)' }),
    state: enumField('pi.state', INSTANCE_STATES),
    hasIncident: field('(pi.incidents > 0)', FieldKind.BOOLEAN),
    tenantId: field('pi.tenant_id', FieldKind.STRING),
  },
  toItem: (row) => ({
    processInstanceKey: key(row.key),
    processDefinitionId: row.bpmn_process_id,
    processDefinitionName: row.definition_name ?? row.bpmn_process_id,
    processDefinitionVersion: row.version,
    ...(row.version_tag ? { processDefinitionVersionTag: row.version_tag } : {}),
    processDefinitionKey: key(row.process_definition_key),
    ...(row.parent_process_instance_key ? { parentProcessInstanceKey: optionalKey(row.parent_process_instance_key) } : {}),
    ...(row.parent_element_instance_key ? { parentElementInstanceKey: optionalKey(row.parent_element_instance_key) } : {}),
    startDate: isoDate(row.start_date),
    ...(row.end_date !== null ? { endDate: optionalDate(row.end_date) } : {}),
    state: row.state,
    hasIncident: (row.incidents as number) > 0,
    tenantId: row.tenant_id,
  }),
};

export const elementInstances: ResourceModel<Record<string, unknown>> = {
  noun: 'element instance',
  from: 'element_instances ei LEFT JOIN element_names en ON en.process_definition_key = ei.process_definition_key AND en.element_id = ei.element_id',
  select: 'ei.*, en.name AS element_name',
  where: '1',
  key: 'ei.key',
  fields: {
    elementInstanceKey: field('ei.key', FieldKind.KEY),
    processInstanceKey: field('ei.process_instance_key', FieldKind.KEY),
    processDefinitionKey: field('ei.process_definition_key', FieldKind.KEY),
    processDefinitionId: field('ei.bpmn_process_id', FieldKind.STRING),
    elementId: field('ei.element_id', FieldKind.STRING),
    elementName: field('COALESCE(en.name, ei.element_id)', FieldKind.STRING),
    type: enumField('ei.type', ELEMENT_TYPES),
    state: enumField('ei.state', INSTANCE_STATES),
    hasIncident: field('(ei.incident_key IS NOT NULL)', FieldKind.BOOLEAN, { sortable: false }),
    incidentKey: field('ei.incident_key', FieldKind.KEY, { sortSql: 'COALESCE(ei.incident_key, 0)' }),
    startDate: field('ei.start_date', FieldKind.DATE),
    endDate: field('ei.end_date', FieldKind.DATE, { sortSql: 'COALESCE(ei.end_date, 0)' }),
    elementInstanceScopeKey: field('ei.flow_scope_key', FieldKind.KEY, { sortable: false }),
    tenantId: field('ei.tenant_id', FieldKind.STRING),
  },
  toItem: (row) => ({
    elementInstanceKey: key(row.key),
    processInstanceKey: key(row.process_instance_key),
    processDefinitionKey: key(row.process_definition_key),
    processDefinitionId: row.bpmn_process_id,
    elementId: row.element_id,
    elementName: row.element_name ?? row.element_id,
    type: oneOf(ELEMENT_TYPES, row.type, 'UNKNOWN'),
    state: row.state,
    hasIncident: row.incident_key !== null,
    ...(row.incident_key !== null ? { incidentKey: key(row.incident_key) } : {}),
    startDate: isoDate(row.start_date),
    ...(row.end_date !== null ? { endDate: optionalDate(row.end_date) } : {}),
    tenantId: row.tenant_id,
  }),
};

export const incidents: ResourceModel<Record<string, unknown>> = {
  noun: 'incident',
  from: 'incidents i',
  select: 'i.*',
  where: '1',
  key: 'i.key',
  fields: {
    incidentKey: field('i.key', FieldKind.KEY),
    processDefinitionKey: field('i.process_definition_key', FieldKind.KEY),
    processDefinitionId: field('i.bpmn_process_id', FieldKind.STRING),
    processInstanceKey: field('i.process_instance_key', FieldKind.KEY),
    errorType: enumField('i.error_type', INCIDENT_ERROR_TYPES),
    errorMessage: field('i.error_message', FieldKind.STRING),
    elementId: field('i.element_id', FieldKind.STRING),
    elementInstanceKey: field('i.element_instance_key', FieldKind.KEY),
    creationTime: field('i.creation_time', FieldKind.DATE),
    state: enumField('i.state', INCIDENT_STATES),
    jobKey: field('i.job_key', FieldKind.KEY, { sortSql: 'COALESCE(i.job_key, 0)' }),
    tenantId: field('i.tenant_id', FieldKind.STRING),
  },
  toItem: (row) => ({
    incidentKey: key(row.key),
    processDefinitionKey: key(row.process_definition_key),
    processDefinitionId: row.bpmn_process_id,
    processInstanceKey: key(row.process_instance_key),
    errorType: oneOf(INCIDENT_ERROR_TYPES, row.error_type, 'UNKNOWN'),
    errorMessage: row.error_message,
    elementId: row.element_id,
    elementInstanceKey: key(row.element_instance_key),
    creationTime: isoDate(row.creation_time),
    state: row.state,
    ...(row.job_key !== null ? { jobKey: key(row.job_key) } : {}),
    tenantId: row.tenant_id,
  }),
};

/**
 * Camunda's exporter marks a job on its FAILED and ERROR_THROWN events by whether retries were left;
 * here the flag is read from the job's current state, so a job activated again no longer has it.
 */
const JOB_FAILED_WITH_RETRIES_LEFT = "(j.state IN ('FAILED', 'ERROR_THROWN') AND j.retries > 0)";
/** Only a task listener's job can deny its work; Camunda records `isDenied` (false here) when a job completes. */
const JOB_DENIED = "(CASE WHEN j.state = 'COMPLETED' THEN 0 END)";

/**
 * Camunda 8.8's job search (`POST /v2/jobs/search`; there is no get by key). Every job of this
 * engine belongs to a BPMN element: no execution or task listeners, so nothing is ever denied.
 */
export const jobs: ResourceModel<Record<string, unknown>> = {
  noun: 'job',
  from: 'jobs j',
  select: `j.*, ${JOB_FAILED_WITH_RETRIES_LEFT} AS failed_with_retries_left, ${JOB_DENIED} AS denied`,
  where: '1',
  key: 'j.key',
  fields: {
    jobKey: field('j.key', FieldKind.KEY),
    type: field('j.type', FieldKind.STRING),
    worker: field('j.worker', FieldKind.STRING),
    state: enumField('j.state', JOB_STATES),
    kind: enumField("'BPMN_ELEMENT'", JOB_KINDS),
    listenerEventType: enumField("'UNSPECIFIED'", JOB_LISTENER_EVENT_TYPES),
    retries: field('j.retries', FieldKind.INTEGER),
    hasFailedWithRetriesLeft: field(JOB_FAILED_WITH_RETRIES_LEFT, FieldKind.BOOLEAN, { sortable: false }),
    isDenied: field(JOB_DENIED, FieldKind.BOOLEAN, { sortSql: `COALESCE(${JOB_DENIED}, -1)` }),
    deniedReason: field('NULL', FieldKind.STRING, { sortSql: "''" }),
    errorCode: field('j.error_code', FieldKind.STRING, { sortSql: "COALESCE(j.error_code, '')" }),
    errorMessage: field('j.error_message', FieldKind.STRING, { sortSql: "COALESCE(j.error_message, '')" }),
    deadline: field('j.deadline', FieldKind.DATE, { sortSql: 'COALESCE(j.deadline, 0)' }),
    endTime: field('j.end_time', FieldKind.DATE, { sortSql: 'COALESCE(j.end_time, 0)' }),
    elementId: field('j.element_id', FieldKind.STRING),
    elementInstanceKey: field('j.element_instance_key', FieldKind.KEY),
    processDefinitionId: field('j.bpmn_process_id', FieldKind.STRING),
    processDefinitionKey: field('j.process_definition_key', FieldKind.KEY),
    processInstanceKey: field('j.process_instance_key', FieldKind.KEY),
    tenantId: field('j.tenant_id', FieldKind.STRING),
  },
  toItem: (row) => ({
    jobKey: key(row.key),
    type: row.type,
    worker: row.worker,
    state: row.state,
    kind: 'BPMN_ELEMENT',
    listenerEventType: 'UNSPECIFIED',
    retries: row.retries,
    hasFailedWithRetriesLeft: row.failed_with_retries_left === 1,
    ...(row.denied !== null ? { isDenied: row.denied === 1 } : {}),
    ...(row.error_code !== null ? { errorCode: row.error_code } : {}),
    ...(row.error_message !== null ? { errorMessage: row.error_message } : {}),
    ...(row.deadline !== null ? { deadline: optionalDate(row.deadline) } : {}),
    ...(row.end_time !== null ? { endTime: optionalDate(row.end_time) } : {}),
    customHeaders: JSON.parse(row.custom_headers as string) as Record<string, string>,
    elementId: row.element_id,
    elementInstanceKey: key(row.element_instance_key),
    processDefinitionId: row.bpmn_process_id,
    processDefinitionKey: key(row.process_definition_key),
    processInstanceKey: key(row.process_instance_key),
    tenantId: row.tenant_id,
  }),
};

const variableFields: Record<string, FieldSpec> = {
  variableKey: field('v.key', FieldKind.KEY),
  name: field('v.name', FieldKind.STRING),
  value: field('v.value', FieldKind.STRING),
  scopeKey: field('v.scope_key', FieldKind.KEY),
  processInstanceKey: field('v.process_instance_key', FieldKind.KEY),
  tenantId: field('v.tenant_id', FieldKind.STRING),
  isTruncated: field(`(LENGTH(v.value) > ${VARIABLE_PREVIEW_LENGTH})`, FieldKind.BOOLEAN, { sortable: false }),
};

const variableBase = (row: Record<string, unknown>) => ({
  variableKey: key(row.key),
  name: row.name,
  scopeKey: key(row.scope_key),
  processInstanceKey: key(row.process_instance_key),
  tenantId: row.tenant_id,
});

/** Search results carry a preview of each value, as Camunda's do. */
export const variables: ResourceModel<Record<string, unknown>> = {
  noun: 'variable',
  from: 'variables v',
  select: 'v.*',
  where: '1',
  key: 'v.key',
  fields: variableFields,
  toItem: (row) => {
    const value = row.value as string;
    const isTruncated = value.length > VARIABLE_PREVIEW_LENGTH;
    return { ...variableBase(row), value: isTruncated ? value.slice(0, VARIABLE_PREVIEW_LENGTH) : value, isTruncated };
  },
};

/** `GET /v2/variables/{key}` answers the full value. */
export const fullVariables: ResourceModel<Record<string, unknown>> = {
  ...variables,
  toItem: (row) => ({ ...variableBase(row), value: row.value }),
};

/** What Camunda 8.8's process instance filter says about an instance's variables, element instances, incidents and jobs. */
export interface InstanceContentFilter {
  /** A variable of that name (in any scope) whose JSON value matches. */
  variables?: { name: string; value: Operators }[];
  /** `elementId`, `elementInstanceState` and `hasElementInstanceIncident` hold for one and the same element instance. */
  elementId?: Operators;
  elementInstanceState?: Operators;
  hasElementInstanceIncident?: Operators;
  /** The message of an open incident. */
  errorMessage?: Operators;
  /** Whether a job failed and has retries left. */
  hasRetriesLeft?: Operators;
}

/** An instance with at least one item of `model` (a variable, element instance, incident, job) matching `filter`. */
function instanceHas<Item>(model: ResourceModel<Item>, filter: FilterGroup): SqlCondition {
  const match = whereClause(model, { filter, conditions: [], or: [] });
  return { sql: `EXISTS (SELECT 1 FROM ${model.from} WHERE ${model.fields.processInstanceKey!.sql} = pi.key AND ${match.sql})`, params: match.params };
}

/** The SQL conditions on `pi` for the parts of a process instance filter that look into the instance. */
export function instanceContentConditions(filter: InstanceContentFilter): SqlCondition[] {
  const element = Object.fromEntries(
    Object.entries({ elementId: filter.elementId, state: filter.elementInstanceState, hasIncident: filter.hasElementInstanceIncident }).filter(([, v]) => v !== undefined),
  ) as FilterGroup;
  const conditions = (filter.variables ?? []).map(({ name, value }) => instanceHas(variables, { name: { $eq: name }, value }));
  if (Object.keys(element).length > 0) conditions.push(instanceHas(elementInstances, element));
  if (filter.errorMessage) conditions.push(instanceHas(incidents, { state: { $eq: 'ACTIVE' }, errorMessage: filter.errorMessage }));
  if (filter.hasRetriesLeft) {
    const failed = instanceHas(jobs, { hasFailedWithRetriesLeft: { $eq: 1 } });
    conditions.push({ sql: `(${failed.sql}) = ?`, params: [...failed.params, filter.hasRetriesLeft.$eq] });
  }
  return conditions;
}

/** Camunda 8.8's BatchOperationTypeEnum values this engine executes, and the states its operations pass. */
export const BATCH_OPERATION_TYPES = ['RESOLVE_INCIDENT', 'CANCEL_PROCESS_INSTANCE'] as const;
export const BATCH_OPERATION_STATES = ['CREATED', 'ACTIVE', 'SUSPENDED', 'COMPLETED', 'PARTIALLY_COMPLETED', 'CANCELED', 'FAILED'] as const;
export const BATCH_OPERATION_ITEM_STATES = ['ACTIVE', 'COMPLETED', 'SKIPPED', 'CANCELED', 'FAILED'] as const;

/**
 * Camunda 8.8's batch operations (`GET /v2/batch-operations/{key}`, `POST /v2/batch-operations/search`).
 * One partition, so never a partition's error: `errors` is always empty.
 */
export const batchOperations: ResourceModel<Record<string, unknown>> = {
  noun: 'batch operation',
  from: 'batch_operations b',
  select: 'b.*',
  where: '1',
  key: 'b.key',
  fields: {
    batchOperationKey: field('b.key', FieldKind.KEY),
    operationType: enumField('b.type', BATCH_OPERATION_TYPES),
    state: enumField('b.state', BATCH_OPERATION_STATES),
    startDate: field('b.start_date', FieldKind.DATE),
    endDate: field('b.end_date', FieldKind.DATE, { sortSql: 'COALESCE(b.end_date, 0)' }),
  },
  toItem: (row) => ({
    batchOperationKey: key(row.key),
    batchOperationType: row.type,
    state: row.state,
    startDate: isoDate(row.start_date),
    ...(row.end_date !== null ? { endDate: optionalDate(row.end_date) } : {}),
    operationsTotalCount: row.total,
    operationsCompletedCount: row.completed,
    operationsFailedCount: row.failed,
    errors: [],
  }),
};

/** Camunda 8.8's batch operation items (`POST /v2/batch-operation-items/search`): what became of each item. */
export const batchOperationItems: ResourceModel<Record<string, unknown>> = {
  noun: 'batch operation item',
  from: 'batch_operation_items bi JOIN batch_operations b ON b.key = bi.batch_operation_key',
  select: 'bi.*, b.type',
  where: '1',
  key: 'bi.item_key',
  fields: {
    batchOperationKey: field('bi.batch_operation_key', FieldKind.KEY),
    itemKey: field('bi.item_key', FieldKind.KEY),
    processInstanceKey: field('bi.process_instance_key', FieldKind.KEY, { sortSql: 'COALESCE(bi.process_instance_key, 0)' }),
    operationType: enumField('b.type', BATCH_OPERATION_TYPES),
    state: enumField('bi.state', BATCH_OPERATION_ITEM_STATES),
  },
  toItem: (row) => ({
    batchOperationKey: key(row.batch_operation_key),
    operationType: row.type,
    itemKey: key(row.item_key),
    ...(row.process_instance_key !== null ? { processInstanceKey: optionalKey(row.process_instance_key) } : {}),
    state: row.state,
    processedDate: isoDate(row.processed_date),
    ...(row.error_message !== null ? { errorMessage: row.error_message } : {}),
  }),
};
