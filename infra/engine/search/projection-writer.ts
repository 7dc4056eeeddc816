/**
 * The projection's writes for one flush. Most elements start and end within one engine batch
 * (start events, gateways, end events), so rows created in a flush stay in memory until its end
 * and later changes in the same flush edit them there: one INSERT instead of an INSERT and UPDATEs.
 */
import type Database from 'better-sqlite3';
import { BatchInsert } from './batch-insert.js';
import type { SearchDb } from './search-database.js';

export interface ElementInstanceRow {
  key: number;
  processInstanceKey: number;
  processDefinitionKey: number;
  bpmnProcessId: string;
  elementId: string;
  type: string;
  state: string;
  flowScopeKey: number;
  startDate: number;
  endDate: number | null;
  incidentKey: number | null;
  tenantId: string;
}

export interface ProcessInstanceRow {
  key: number;
  bpmnProcessId: string;
  processDefinitionKey: number;
  version: number;
  parentProcessInstanceKey: number | null;
  parentElementInstanceKey: number | null;
  startDate: number;
  endDate: number | null;
  state: string;
  incidents: number;
  tenantId: string;
}

export interface IncidentRow {
  key: number;
  processInstanceKey: number;
  processDefinitionKey: number;
  bpmnProcessId: string;
  elementId: string;
  elementInstanceKey: number;
  jobKey: number | null;
  errorType: string;
  errorMessage: string;
  creationTime: number;
  tenantId: string;
}

export interface JobRow {
  key: number;
  type: string;
  worker: string;
  state: string;
  retries: number;
  errorMessage: string | null;
  errorCode: string | null;
  elementId: string;
  elementInstanceKey: number;
  processInstanceKey: number;
  processDefinitionKey: number;
  bpmnProcessId: string;
  deadline: number | null;
  endTime: number | null;
  customHeaders: string;
  tenantId: string;
}

export interface DefinitionRow {
  key: number;
  bpmnProcessId: string;
  version: number;
  resourceName: string;
  xml: string;
  tenantId: string;
  deployedAt: number;
}

/** A decision requirements graph (DRG) as deployed: `xml` is its DMN file. */
export interface DecisionRequirementsRow {
  key: number;
  decisionRequirementsId: string;
  name: string;
  version: number;
  resourceName: string;
  xml: string;
  tenantId: string;
}

export interface DecisionRow {
  key: number;
  decisionId: string;
  name: string;
  version: number;
  decisionRequirementsId: string;
  decisionRequirementsKey: number;
  tenantId: string;
}

export interface BatchOperationItemRow {
  itemKey: number;
  processInstanceKey: number | null;
  state: string;
  errorMessage: string | null;
}

/** The projection's tables whose rows are kept, marked deleted, when their resource is deleted. */
export const DELETABLE_TABLES = ['process_definitions', 'decision_requirements', 'decision_definitions'] as const;
export type DeletableTable = (typeof DELETABLE_TABLES)[number];

type Statements = ReturnType<typeof prepare>;

function prepare(db: SearchDb) {
  const s = <P extends unknown[]>(sql: string) => db.prepare<P>(sql);
  return {
    insertDefinition: s<[number, string, number, string, string, string, number]>('INSERT OR IGNORE INTO process_definitions (key, bpmn_process_id, version, resource_name, xml, tenant_id, deployed_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    insertDecisionRequirements: s<[number, string, string, number, string, string, string]>('INSERT OR IGNORE INTO decision_requirements (key, decision_requirements_id, name, version, resource_name, xml, tenant_id) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    insertDecision: s<[number, string, string, number, string, number, string]>('INSERT OR IGNORE INTO decision_definitions (key, decision_id, name, version, decision_requirements_id, decision_requirements_key, tenant_id) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    markDeleted: Object.fromEntries(DELETABLE_TABLES.map((table) => [table, s<[number]>(`UPDATE ${table} SET deleted = 1 WHERE key = ?`)])) as Record<DeletableTable, Database.Statement<[number]>>,
    endElement: s<[string, number, number]>('UPDATE element_instances SET state = ?, end_date = ? WHERE key = ?'),
    setElementIncident: s<[number | null, number]>('UPDATE element_instances SET incident_key = ? WHERE key = ?'),
    endInstance: s<[string, number, number]>('UPDATE process_instances SET state = ?, end_date = ? WHERE key = ?'),
    countInstanceIncident: s<[number, number]>('UPDATE process_instances SET incidents = MAX(incidents + ?, 0) WHERE key = ?'),
    insertIncident: s("INSERT OR REPLACE INTO incidents (key, process_instance_key, process_definition_key, bpmn_process_id, element_id, element_instance_key, job_key, error_type, error_message, creation_time, state, tenant_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'ACTIVE', ?)"),
    resolveIncident: s<[number]>("UPDATE incidents SET state = 'RESOLVED' WHERE key = ?"),
    startBatchOperation: s<[number, string, number, number]>("INSERT OR REPLACE INTO batch_operations (key, type, state, start_date, total) VALUES (?, ?, 'ACTIVE', ?, ?)"),
    countBatchOperationItems: s<[number, number, number]>('UPDATE batch_operations SET completed = completed + ?, failed = failed + ? WHERE key = ?'),
    endBatchOperation: s<[number, number]>("UPDATE batch_operations SET state = 'COMPLETED', end_date = ? WHERE key = ?"),
    batchOperationItems: new BatchInsert(db, 'INSERT OR REPLACE', 'batch_operation_items', ['batch_operation_key', 'item_key', 'process_instance_key', 'state', 'error_message', 'processed_date']),
    elements: new BatchInsert(db, 'INSERT OR REPLACE', 'element_instances', ['key', 'process_instance_key', 'process_definition_key', 'bpmn_process_id', 'element_id', 'type', 'state', 'flow_scope_key', 'start_date', 'end_date', 'incident_key', 'tenant_id']),
    instances: new BatchInsert(db, 'INSERT OR REPLACE', 'process_instances', ['key', 'bpmn_process_id', 'process_definition_key', 'version', 'parent_process_instance_key', 'parent_element_instance_key', 'start_date', 'end_date', 'state', 'incidents', 'tenant_id']),
    jobs: new BatchInsert(db, 'INSERT OR REPLACE', 'jobs', ['key', 'type', 'worker', 'state', 'retries', 'error_message', 'error_code', 'element_id', 'element_instance_key', 'process_instance_key', 'process_definition_key', 'bpmn_process_id', 'deadline', 'end_time', 'custom_headers', 'tenant_id']),
    variables: new BatchInsert(db, 'INSERT OR REPLACE', 'variables', ['key', 'name', 'value', 'scope_key', 'process_instance_key', 'tenant_id']),
    flows: new BatchInsert(db, 'INSERT OR IGNORE', 'sequence_flows', ['process_instance_key', 'element_id', 'process_definition_key', 'bpmn_process_id', 'tenant_id']),
  };
}

export class ProjectionWriter {
  private readonly statements: Statements;
  private readonly newElements = new Map<number, ElementInstanceRow>();
  private readonly newInstances = new Map<number, ProcessInstanceRow>();
  private readonly newJobs = new Map<number, JobRow>();
  private readonly newVariables = new Map<number, unknown[]>();
  private newFlows: unknown[][] = [];
  /** Definitions stored in this flush, whose names are read from their XML afterwards. */
  private newDefinitions: number[] = [];

  constructor(db: SearchDb) {
    this.statements = prepare(db);
  }

  addDefinition(row: DefinitionRow): void {
    const { key, bpmnProcessId, version, resourceName, xml, tenantId, deployedAt } = row;
    if (this.statements.insertDefinition.run(key, bpmnProcessId, version, resourceName, xml, tenantId, deployedAt).changes > 0) this.newDefinitions.push(key);
  }

  takeNewDefinitions(): number[] {
    const keys = this.newDefinitions;
    this.newDefinitions = [];
    return keys;
  }

  addDecisionRequirements(row: DecisionRequirementsRow): void {
    this.statements.insertDecisionRequirements.run(row.key, row.decisionRequirementsId, row.name, row.version, row.resourceName, row.xml, row.tenantId);
  }

  addDecision(row: DecisionRow): void {
    this.statements.insertDecision.run(row.key, row.decisionId, row.name, row.version, row.decisionRequirementsId, row.decisionRequirementsKey, row.tenantId);
  }

  /** A deleted resource stays in its table, marked deleted, as the engine keeps it to never reuse a version. */
  markDeleted(table: DeletableTable, key: number): void {
    this.statements.markDeleted[table].run(key);
  }

  startElement(row: ElementInstanceRow): void {
    this.newElements.set(row.key, row);
  }

  endElement(key: number, state: string, at: number): void {
    const row = this.newElements.get(key);
    if (row) Object.assign(row, { state, endDate: at });
    else this.statements.endElement.run(state, at, key);
  }

  setElementIncident(key: number, incidentKey: number | null): void {
    const row = this.newElements.get(key);
    if (row) row.incidentKey = incidentKey;
    else this.statements.setElementIncident.run(incidentKey, key);
  }

  startInstance(row: ProcessInstanceRow): void {
    this.newInstances.set(row.key, row);
  }

  endInstance(key: number, state: string, at: number): void {
    const row = this.newInstances.get(key);
    if (row) Object.assign(row, { state, endDate: at });
    else this.statements.endInstance.run(state, at, key);
  }

  countInstanceIncident(key: number, delta: 1 | -1): void {
    const row = this.newInstances.get(key);
    if (row) row.incidents = Math.max(row.incidents + delta, 0);
    else this.statements.countInstanceIncident.run(delta, key);
  }

  addIncident(row: IncidentRow): void {
    this.statements.insertIncident.run(
      row.key, row.processInstanceKey, row.processDefinitionKey, row.bpmnProcessId, row.elementId, row.elementInstanceKey,
      row.jobKey, row.errorType, row.errorMessage, row.creationTime, row.tenantId,
    );
  }

  resolveIncident(key: number): void {
    this.statements.resolveIncident.run(key);
  }

  startBatchOperation(key: number, type: string, startDate: number, total: number): void {
    this.statements.startBatchOperation.run(key, type, startDate, total);
  }

  /** The items of one executed chunk; they come rarely and together, so they are written at once. */
  addBatchOperationItems(key: number, items: BatchOperationItemRow[], at: number): void {
    const failed = items.filter((item) => item.state === 'FAILED').length;
    this.statements.countBatchOperationItems.run(items.length - failed, failed, key);
    this.statements.batchOperationItems.run(items.map((item) => [key, item.itemKey, item.processInstanceKey, item.state, item.errorMessage, at]));
  }

  endBatchOperation(key: number, at: number): void {
    this.statements.endBatchOperation.run(at, key);
  }

  putVariable(key: number, name: string, json: string, scopeKey: number, processInstanceKey: number, tenantId: string): void {
    this.newVariables.set(key, [key, name, json, scopeKey, processInstanceKey, tenantId]);
  }

  /** Jobs change several times while they live; only the last state of a flush is written. */
  putJob(row: JobRow): void {
    this.newJobs.set(row.key, row);
  }

  takeFlow(processInstanceKey: number, elementId: string, processDefinitionKey: number, bpmnProcessId: string, tenantId: string): void {
    this.newFlows.push([processInstanceKey, elementId, processDefinitionKey, bpmnProcessId, tenantId]);
  }

  /** Writes the rows held in memory; called once at the end of a flush, inside its transaction. */
  finish(): void {
    const { statements } = this;
    statements.instances.run([...this.newInstances.values()].map((r) => [
      r.key, r.bpmnProcessId, r.processDefinitionKey, r.version, r.parentProcessInstanceKey, r.parentElementInstanceKey,
      r.startDate, r.endDate, r.state, r.incidents, r.tenantId,
    ]));
    statements.elements.run([...this.newElements.values()].map((r) => [
      r.key, r.processInstanceKey, r.processDefinitionKey, r.bpmnProcessId, r.elementId, r.type, r.state, r.flowScopeKey,
      r.startDate, r.endDate, r.incidentKey, r.tenantId,
    ]));
    statements.jobs.run([...this.newJobs.values()].map((r) => [
      r.key, r.type, r.worker, r.state, r.retries, r.errorMessage, r.errorCode, r.elementId, r.elementInstanceKey,
      r.processInstanceKey, r.processDefinitionKey, r.bpmnProcessId, r.deadline, r.endTime, r.customHeaders, r.tenantId,
    ]));
    statements.variables.run([...this.newVariables.values()]);
    statements.flows.run(this.newFlows);
    this.newInstances.clear();
    this.newElements.clear();
    this.newJobs.clear();
    this.newVariables.clear();
    this.newFlows = [];
  }
}
