/**
 * All state of the embedded engine, in one SQLite database. Processors read it; only appliers
 * (processing/appliers) change it, and only inside a batch transaction.
 */
import type { Statement } from 'better-sqlite3';
import { ValueType, type EngineRecord } from '../core/records.js';
import type { ExecutableProcess } from '../model/executable-model.js';
import { openDatabase, type Db } from './database.js';
import { DecisionState } from './decision-state.js';
import { ElementInstanceState, type ElementInstance } from './element-instance-state.js';
import { JobState } from './job-state.js';
import { KeyedTable } from './keyed-table.js';
import { VariableState } from './variable-state.js';

/** Which process a message started, for which correlation key: one active instance each (Zeebe's message start rule). */
export interface MessageStartCorrelation {
  bpmnProcessId: string;
  correlationKey: string;
}

export interface TimerValue {
  elementInstanceKey: number;
  processInstanceKey: number;
  processDefinitionKey: number;
  targetElementId: string;
  dueDate: number;
  repetitions: number;
  interval: string | undefined;
  /** A cron cycle's expression, which gives its next occurrence. */
  cron?: string;
  tenantId: string;
}

export interface MessageValue {
  name: string;
  correlationKey: string;
  timeToLive: number;
  messageId: string;
  variables: Record<string, unknown>;
  deadline: number;
  tenantId: string;
}

export interface MessageSubscriptionValue {
  elementInstanceKey: number;
  processInstanceKey: number;
  processDefinitionKey: number;
  bpmnProcessId: string;
  messageName: string;
  correlationKey: string;
  elementId: string;
  interrupting: boolean;
  tenantId: string;
}

export interface MessageStartSubscriptionValue {
  processDefinitionKey: number;
  bpmnProcessId: string;
  messageName: string;
  startEventId: string;
  tenantId: string;
}

export interface SignalSubscriptionValue {
  signalName: string;
  /** -1 for a signal start event. */
  catchElementInstanceKey: number;
  catchElementId: string;
  processDefinitionKey: number;
  bpmnProcessId: string;
  tenantId: string;
}

export interface IncidentValue {
  errorType: string;
  errorMessage: string;
  bpmnProcessId: string;
  processDefinitionKey: number;
  processInstanceKey: number;
  elementId: string;
  elementInstanceKey: number;
  jobKey: number;
  variableScopeKey: number;
  tenantId: string;
}

export interface CompensationSubscriptionValue {
  processInstanceKey: number;
  processDefinitionKey: number;
  /** The element instance of the scope the compensable activity completed in. */
  flowScopeKey: number;
  /** The compensable activity, and the instance that completed. */
  elementId: string;
  elementInstanceKey: number;
  /** Empty for a completed sub-process that only carries the subscriptions of its inner activities. */
  compensationHandlerId: string;
  tenantId: string;
  /** Once triggered: the compensation throw event waiting for the handler, and the handler instance. */
  throwEventInstanceKey?: number;
  handlerInstanceKey?: number;
}

/** What a batch operation does to each of its items, as Camunda 8.8's BatchOperationTypeEnum. */
export const BatchOperationType = {
  /** Items are incidents: a job incident's job gets one retry, then the incident is resolved. */
  RESOLVE_INCIDENT: 'RESOLVE_INCIDENT',
  /** Items are process instances, cancelled. */
  CANCEL_PROCESS_INSTANCE: 'CANCEL_PROCESS_INSTANCE',
} as const;
export type BatchOperationType = (typeof BatchOperationType)[keyof typeof BatchOperationType];

/** A batch operation the engine is still executing: the items it has not reached yet. */
export interface BatchOperationValue {
  batchOperationKey: number;
  batchOperationType: BatchOperationType;
  /** Every item, in the order they are executed; `executed` of them are done. */
  itemKeys: number[];
  executed: number;
}

export interface ProcessDefinition {
  key: number;
  bpmnProcessId: string;
  version: number;
  resourceName: string;
  checksum: string;
  xml: string;
  deploymentKey: number;
  deployedAt: number;
  deleted: boolean;
}

export interface EventTrigger {
  eventKey: number;
  elementId: string;
  variables: Record<string, unknown>;
}

/** Rows per multi-row INSERT of records: fewer calls into SQLite, well under its parameter limit. */
const RECORD_INSERT_ROWS = 64;

const RECORD_COLUMNS = '(position, key, record_type, value_type, intent, timestamp, value, value_of, value_path, rejection_type, rejection_reason)';
const RECORD_ROW = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';

/** Where a value is stored: in the record at `position`, or at `path` (a JSON path) inside its value. */
interface StoredValue {
  position: number;
  path: string | null;
}

/**
 * Values inside a record's value that later records carry whole: the jobs of a JOB_BATCH, which a
 * job COMPLETED without variables repeats.
 */
function nestedValues(record: EngineRecord): [object, string][] {
  if (record.valueType !== ValueType.JOB_BATCH) return [];
  const jobs = (record.value as { jobs?: object[] }).jobs ?? [];
  return jobs.map((job, i) => [job, `$.jobs[${i}]`]);
}

/** Zeebe encodes the partition in a key's upper bits; partition 1 keys start here. */
const PARTITION_1_KEY_BASE = 2 ** 51;

export class EngineState {
  readonly elementInstances: ElementInstanceState;
  readonly variables: VariableState;
  readonly jobs: JobState;
  readonly timers: KeyedTable<TimerValue>;
  readonly messages: KeyedTable<MessageValue>;
  readonly messageSubscriptions: KeyedTable<MessageSubscriptionValue>;
  readonly signalSubscriptions: KeyedTable<SignalSubscriptionValue>;
  readonly incidents: KeyedTable<IncidentValue>;
  readonly compensationSubscriptions: KeyedTable<CompensationSubscriptionValue>;
  readonly decisions: DecisionState;
  readonly batchOperations: KeyedTable<BatchOperationValue>;
  private readonly statements;
  private readonly models = new Map<number, ExecutableProcess>();
  private nextKeyValue: number;
  private nextPosition: number;
  private pendingRecords: EngineRecord[] = [];
  private flushedRecords = 0;
  /** Where each value object was first stored in the record log; kept across batches for cached element instances. */
  private valuePositions = new WeakMap<object, StoredValue>();
  private readonly recordInserts: Statement[] = [];
  private definitionCache: ProcessDefinition[] | undefined;

  constructor(readonly db: Db) {
    this.elementInstances = new ElementInstanceState(db);
    this.variables = new VariableState(db);
    this.jobs = new JobState(db);
    this.timers = new KeyedTable(db, 'timers', { due_date: (v) => v.dueDate, element_instance_key: (v) => v.elementInstanceKey });
    this.messages = new KeyedTable(db, 'messages', { name: (v) => v.name, correlation_key: (v) => v.correlationKey, message_id: (v) => v.messageId || null, deadline: (v) => v.deadline });
    this.messageSubscriptions = new KeyedTable(db, 'message_subscriptions', { message_name: (v) => v.messageName, correlation_key: (v) => v.correlationKey, element_instance_key: (v) => v.elementInstanceKey, bpmn_process_id: (v) => v.bpmnProcessId });
    this.signalSubscriptions = new KeyedTable(db, 'signal_subscriptions', { signal_name: (v) => v.signalName, element_instance_key: (v) => v.catchElementInstanceKey });
    this.incidents = new KeyedTable(db, 'incidents', { process_instance_key: (v) => v.processInstanceKey, element_instance_key: (v) => v.elementInstanceKey, job_key: (v) => v.jobKey });
    this.compensationSubscriptions = new KeyedTable(db, 'compensation_subscriptions', { process_instance_key: (v) => v.processInstanceKey, flow_scope_key: (v) => v.flowScopeKey, element_id: (v) => v.elementId });
    this.decisions = new DecisionState(db);
    this.batchOperations = new KeyedTable(db, 'batch_operations', { batch_operation_type: (v) => v.batchOperationType });
    this.statements = {
      meta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE name = ?'),
      setMeta: db.prepare('INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)'),
      definitions: db.prepare<[], DefinitionRow>('SELECT * FROM process_definitions ORDER BY key'),
      insertDefinition: db.prepare('INSERT INTO process_definitions (key, bpmn_process_id, version, resource_name, checksum, xml, deployment_key, deployed_at, deleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)'),
      deleteDefinition: db.prepare('UPDATE process_definitions SET deleted = 1 WHERE key = ?'),
      startSubscriptions: db.prepare<[string], { record: string }>('SELECT record FROM message_start_subscriptions WHERE message_name = ?'),
      rootInstances: db.prepare<[number], { key: number }>(`SELECT key FROM element_instances WHERE flow_scope_key = -1 AND json_extract(record, '$.processDefinitionKey') = ?`),
      startSubscriptionsOf: db.prepare<[number], { record: string }>('SELECT record FROM message_start_subscriptions WHERE process_definition_key = ?'),
      putStartSubscription: db.prepare('INSERT OR REPLACE INTO message_start_subscriptions (process_definition_key, message_name, record) VALUES (?, ?, ?)'),
      deleteStartSubscriptions: db.prepare('DELETE FROM message_start_subscriptions WHERE process_definition_key = ?'),
      correlated: db.prepare<[number, string], { n: number }>('SELECT 1 AS n FROM message_correlations WHERE message_key = ? AND bpmn_process_id = ?'),
      putCorrelated: db.prepare('INSERT OR IGNORE INTO message_correlations (message_key, bpmn_process_id) VALUES (?, ?)'),
      deleteCorrelated: db.prepare('DELETE FROM message_correlations WHERE message_key = ?'),
      startInstance: db.prepare<[string, string], { process_instance_key: number }>('SELECT process_instance_key FROM message_start_instances WHERE bpmn_process_id = ? AND correlation_key = ?'),
      startInstanceOf: db.prepare<[number], { bpmn_process_id: string; correlation_key: string }>('SELECT bpmn_process_id, correlation_key FROM message_start_instances WHERE process_instance_key = ?'),
      putStartInstance: db.prepare('INSERT OR REPLACE INTO message_start_instances (bpmn_process_id, correlation_key, process_instance_key) VALUES (?, ?, ?)'),
      deleteStartInstance: db.prepare('DELETE FROM message_start_instances WHERE process_instance_key = ?'),
      trigger: db.prepare<[number], { event_key: number; element_id: string; variables: string }>('SELECT event_key, element_id, variables FROM event_triggers WHERE scope_key = ? ORDER BY event_key LIMIT 1'),
      putTrigger: db.prepare('INSERT OR REPLACE INTO event_triggers (scope_key, event_key, element_id, variables) VALUES (?, ?, ?, ?)'),
      deleteTrigger: db.prepare('DELETE FROM event_triggers WHERE scope_key = ? AND event_key = ?'),
      deleteTriggers: db.prepare('DELETE FROM event_triggers WHERE scope_key = ?'),
    };
    this.nextKeyValue = Number(this.statements.meta.get('nextKey')?.value ?? PARTITION_1_KEY_BASE + 1);
    this.nextPosition = Number(this.statements.meta.get('nextPosition')?.value ?? 1);
  }

  static open(dataDir: string | undefined): EngineState {
    return new EngineState(openDatabase(dataDir));
  }

  nextKey(): number {
    return this.nextKeyValue++;
  }

  /** Records are kept for the batch and written together by {@link flushRecords}. */
  appendRecord(record: Omit<EngineRecord, 'position'>): EngineRecord {
    const full = { position: this.nextPosition++, ...record } as EngineRecord;
    this.pendingRecords.push(full);
    return full;
  }

  private flushRecords(): void {
    const records = this.pendingRecords;
    for (let i = this.flushedRecords; i < records.length; i += RECORD_INSERT_ROWS) {
      const rows = Math.min(RECORD_INSERT_ROWS, records.length - i);
      const params: unknown[] = [];
      for (let j = i; j < i + rows; j++) this.pushRecordRow(params, records[j]!);
      this.recordInsert(rows).run(params);
    }
    this.flushedRecords = records.length;
  }

  /** One INSERT per flush and up to {@link RECORD_INSERT_ROWS} records: a statement per row count, prepared once. */
  private recordInsert(rows: number): Statement {
    let statement = this.recordInserts[rows];
    if (!statement) {
      statement = this.db.prepare(`INSERT INTO record_log ${RECORD_COLUMNS} VALUES ${Array(rows).fill(RECORD_ROW).join(', ')}`);
      this.recordInserts[rows] = statement;
    }
    return statement;
  }

  /**
   * The row of one record: its header, and its value as JSON unless an earlier record has the
   * same value object. An element instance's value is shared by its lifecycle records (activating,
   * activated, completing, completed) and never changed after creation, so it is serialised and
   * stored once; the others point at that record.
   */
  private pushRecordRow(params: unknown[], r: EngineRecord): void {
    const storedAt = this.valuePositions.get(r.value);
    let value: string | null = null;
    if (storedAt === undefined) {
      value = JSON.stringify(r.value);
      this.valuePositions.set(r.value, { position: r.position, path: null });
      for (const [nested, path] of nestedValues(r)) this.valuePositions.set(nested, { position: r.position, path });
    }
    params.push(r.position, r.key, r.recordType, r.valueType, r.intent, r.timestamp, value, storedAt?.position ?? null, storedAt?.path ?? null, r.rejectionType ?? null, r.rejectionReason ?? null);
  }

  /** Writes everything the running batch changed that is held in memory; before raw reads of those tables. */
  flush(): void {
    this.elementInstances.flush();
    this.flushRecords();
  }

  /** Records appended since the last call: handed to exporters after the batch commits. */
  takeAppendedRecords(): EngineRecord[] {
    const records = this.pendingRecords;
    this.pendingRecords = [];
    this.flushedRecords = 0;
    return records;
  }

  /** Runs a batch atomically; counters and caches fall back to the committed state if it throws. */
  transaction<T>(work: () => T): T {
    const key = this.nextKeyValue;
    const position = this.nextPosition;
    try {
      const result = this.db.transaction(() => {
        const value = work();
        this.flush();
        this.statements.setMeta.run('nextKey', String(this.nextKeyValue));
        this.statements.setMeta.run('nextPosition', String(this.nextPosition));
        return value;
      })();
      return result;
    } catch (error) {
      this.nextKeyValue = key;
      this.nextPosition = position;
      this.pendingRecords = [];
      this.flushedRecords = 0;
      this.definitionCache = undefined;
      // Positions are handed out again after a rollback, and cached instances may hold its changes.
      this.valuePositions = new WeakMap();
      this.elementInstances.forget();
      this.jobs.forget();
      throw error;
    } finally {
      this.elementInstances.reset();
      this.jobs.trimCache();
      this.variables.reset();
    }
  }

  // --- process definitions -------------------------------------------------------------------

  /** All definitions, oldest first; cached because every instance creation looks them up. */
  definitions(): ProcessDefinition[] {
    this.definitionCache ??= this.statements.definitions.all().map(toDefinition);
    return this.definitionCache;
  }

  model(processDefinitionKey: number): ExecutableProcess | undefined {
    return this.models.get(processDefinitionKey);
  }

  addDefinition(definition: ProcessDefinition, model: ExecutableProcess): void {
    const d = definition;
    this.statements.insertDefinition.run(d.key, d.bpmnProcessId, d.version, d.resourceName, d.checksum, d.xml, d.deploymentKey, d.deployedAt);
    this.definitionCache = undefined;
    this.models.set(d.key, model);
  }

  /** Models are parsed outside of processing (parsing is asynchronous) and registered here. */
  registerModel(processDefinitionKey: number, model: ExecutableProcess): void {
    this.models.set(processDefinitionKey, model);
  }

  markDefinitionDeleted(key: number): void {
    this.statements.deleteDefinition.run(key);
    this.definitionCache = undefined;
  }

  /** Process instances (root element instances) of a definition. */
  rootInstancesOf(processDefinitionKey: number): ElementInstance[] {
    this.elementInstances.flush();
    return this.statements.rootInstances.all(processDefinitionKey).map((r) => this.elementInstances.get(r.key)!).filter(Boolean);
  }

  // --- messages --------------------------------------------------------------------------------

  messageStartSubscriptions(messageName: string): MessageStartSubscriptionValue[] {
    return this.statements.startSubscriptions.all(messageName).map((r) => JSON.parse(r.record));
  }

  messageStartSubscriptionsOf(processDefinitionKey: number): MessageStartSubscriptionValue[] {
    return this.statements.startSubscriptionsOf.all(processDefinitionKey).map((r) => JSON.parse(r.record));
  }

  putMessageStartSubscription(value: MessageStartSubscriptionValue): void {
    this.statements.putStartSubscription.run(value.processDefinitionKey, value.messageName, JSON.stringify(value));
  }

  deleteMessageStartSubscriptions(processDefinitionKey: number): void {
    this.statements.deleteStartSubscriptions.run(processDefinitionKey);
  }

  hasCorrelated(messageKey: number, bpmnProcessId: string): boolean {
    return this.statements.correlated.get(messageKey, bpmnProcessId) !== undefined;
  }

  markCorrelated(messageKey: number, bpmnProcessId: string): void {
    this.statements.putCorrelated.run(messageKey, bpmnProcessId);
  }

  forgetCorrelations(messageKey: number): void {
    this.statements.deleteCorrelated.run(messageKey);
  }

  activeMessageStartInstance(bpmnProcessId: string, correlationKey: string): number | undefined {
    return this.statements.startInstance.get(bpmnProcessId, correlationKey)?.process_instance_key;
  }

  /** The process and correlation key of an active instance a message with a correlation key started. */
  messageStartOf(processInstanceKey: number): MessageStartCorrelation | undefined {
    const row = this.statements.startInstanceOf.get(processInstanceKey);
    return row && { bpmnProcessId: row.bpmn_process_id, correlationKey: row.correlation_key };
  }

  putMessageStartInstance(bpmnProcessId: string, correlationKey: string, processInstanceKey: number): void {
    this.statements.putStartInstance.run(bpmnProcessId, correlationKey, processInstanceKey);
  }

  deleteMessageStartInstance(processInstanceKey: number): void {
    this.statements.deleteStartInstance.run(processInstanceKey);
  }

  // --- event triggers --------------------------------------------------------------------------

  eventTrigger(scopeKey: number): EventTrigger | undefined {
    const row = this.statements.trigger.get(scopeKey);
    return row && { eventKey: row.event_key, elementId: row.element_id, variables: JSON.parse(row.variables) };
  }

  putEventTrigger(scopeKey: number, trigger: EventTrigger): void {
    this.statements.putTrigger.run(scopeKey, trigger.eventKey, trigger.elementId, JSON.stringify(trigger.variables));
  }

  deleteEventTrigger(scopeKey: number, eventKey: number): void {
    this.statements.deleteTrigger.run(scopeKey, eventKey);
  }

  deleteEventTriggers(scopeKey: number): void {
    this.statements.deleteTriggers.run(scopeKey);
  }

  close(): void {
    this.db.close();
  }
}

type DefinitionRow = {
  key: number; bpmn_process_id: string; version: number; resource_name: string; checksum: string;
  xml: string; deployment_key: number; deployed_at: number; deleted: number;
};

function toDefinition(r: DefinitionRow): ProcessDefinition {
  return {
    key: r.key, bpmnProcessId: r.bpmn_process_id, version: r.version, resourceName: r.resource_name,
    checksum: r.checksum, xml: r.xml, deploymentKey: r.deployment_key, deployedAt: r.deployed_at, deleted: r.deleted === 1,
  };
}
