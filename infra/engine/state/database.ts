/**
 * The engine's single SQLite file (better-sqlite3, WAL). Every batch of commands commits in one
 * transaction, so a crash at any moment leaves the state of the last committed batch.
 */
import Database from 'better-sqlite3';
import { openSqliteFile } from './sqlite-file.js';

export type Db = Database.Database;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS record_log (
  position INTEGER PRIMARY KEY, key INTEGER NOT NULL, record_type TEXT NOT NULL, value_type TEXT NOT NULL,
  intent TEXT NOT NULL, timestamp INTEGER NOT NULL, value TEXT, value_of INTEGER,
  rejection_type TEXT, rejection_reason TEXT, value_path TEXT);
CREATE TABLE IF NOT EXISTS process_definitions (
  key INTEGER PRIMARY KEY, bpmn_process_id TEXT NOT NULL, version INTEGER NOT NULL,
  resource_name TEXT NOT NULL, checksum TEXT NOT NULL, xml TEXT NOT NULL,
  deployment_key INTEGER NOT NULL, deployed_at INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS process_definitions_by_id ON process_definitions (bpmn_process_id, version);
CREATE TABLE IF NOT EXISTS element_instances (
  key INTEGER PRIMARY KEY, process_instance_key INTEGER NOT NULL, flow_scope_key INTEGER NOT NULL,
  element_id TEXT NOT NULL, state TEXT NOT NULL, record TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS element_instances_by_scope ON element_instances (flow_scope_key);
CREATE TABLE IF NOT EXISTS variables (
  scope_key INTEGER NOT NULL, name TEXT NOT NULL, key INTEGER NOT NULL, value TEXT NOT NULL,
  PRIMARY KEY (scope_key, name)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS jobs (
  key INTEGER PRIMARY KEY, type TEXT NOT NULL, state TEXT NOT NULL, deadline INTEGER,
  backoff_until INTEGER, element_instance_key INTEGER NOT NULL, record TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS jobs_activatable ON jobs (type, state, key);
CREATE INDEX IF NOT EXISTS jobs_by_deadline ON jobs (deadline) WHERE deadline IS NOT NULL;
CREATE INDEX IF NOT EXISTS jobs_by_backoff ON jobs (backoff_until) WHERE backoff_until IS NOT NULL;
DROP INDEX IF EXISTS jobs_by_element;
CREATE TABLE IF NOT EXISTS timers (
  key INTEGER PRIMARY KEY, due_date INTEGER NOT NULL, element_instance_key INTEGER NOT NULL,
  record TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS timers_by_due_date ON timers (due_date);
CREATE INDEX IF NOT EXISTS timers_by_element ON timers (element_instance_key);
CREATE TABLE IF NOT EXISTS messages (
  key INTEGER PRIMARY KEY, name TEXT NOT NULL, correlation_key TEXT NOT NULL, message_id TEXT,
  deadline INTEGER NOT NULL, record TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS messages_by_name ON messages (name, correlation_key, key);
CREATE INDEX IF NOT EXISTS messages_by_deadline ON messages (deadline);
CREATE UNIQUE INDEX IF NOT EXISTS messages_by_id ON messages (name, correlation_key, message_id) WHERE message_id IS NOT NULL AND message_id <> '';
CREATE TABLE IF NOT EXISTS message_correlations (
  message_key INTEGER NOT NULL, bpmn_process_id TEXT NOT NULL, PRIMARY KEY (message_key, bpmn_process_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS message_subscriptions (
  key INTEGER PRIMARY KEY, message_name TEXT NOT NULL, correlation_key TEXT NOT NULL,
  element_instance_key INTEGER NOT NULL, bpmn_process_id TEXT NOT NULL, record TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS message_subscriptions_by_name ON message_subscriptions (message_name, correlation_key, key);
CREATE INDEX IF NOT EXISTS message_subscriptions_by_element ON message_subscriptions (element_instance_key);
CREATE TABLE IF NOT EXISTS message_start_subscriptions (
  process_definition_key INTEGER NOT NULL, message_name TEXT NOT NULL, record TEXT NOT NULL,
  PRIMARY KEY (process_definition_key, message_name)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS message_start_subscriptions_by_name ON message_start_subscriptions (message_name);
CREATE TABLE IF NOT EXISTS message_start_instances (
  bpmn_process_id TEXT NOT NULL, correlation_key TEXT NOT NULL, process_instance_key INTEGER NOT NULL,
  PRIMARY KEY (bpmn_process_id, correlation_key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS signal_subscriptions (
  key INTEGER PRIMARY KEY, signal_name TEXT NOT NULL, element_instance_key INTEGER NOT NULL, record TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS signal_subscriptions_by_name ON signal_subscriptions (signal_name);
CREATE INDEX IF NOT EXISTS signal_subscriptions_by_element ON signal_subscriptions (element_instance_key);
CREATE TABLE IF NOT EXISTS incidents (
  key INTEGER PRIMARY KEY, process_instance_key INTEGER NOT NULL, element_instance_key INTEGER NOT NULL,
  job_key INTEGER NOT NULL, record TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS incidents_by_element ON incidents (element_instance_key);
CREATE INDEX IF NOT EXISTS incidents_by_job ON incidents (job_key) WHERE job_key > 0;
CREATE TABLE IF NOT EXISTS event_triggers (
  scope_key INTEGER NOT NULL, event_key INTEGER NOT NULL, element_id TEXT NOT NULL, variables TEXT NOT NULL,
  PRIMARY KEY (scope_key, event_key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS compensation_subscriptions (
  key INTEGER PRIMARY KEY, process_instance_key INTEGER NOT NULL, flow_scope_key INTEGER NOT NULL,
  element_id TEXT NOT NULL, record TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS compensation_subscriptions_by_instance ON compensation_subscriptions (process_instance_key);
-- Every element that completes asks whether it leaves subscriptions behind in its own scope.
CREATE INDEX IF NOT EXISTS compensation_subscriptions_by_scope ON compensation_subscriptions (flow_scope_key, key);
CREATE TABLE IF NOT EXISTS decision_requirements (
  key INTEGER PRIMARY KEY, decision_requirements_id TEXT NOT NULL, version INTEGER NOT NULL, deleted INTEGER NOT NULL,
  record TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS decision_requirements_by_id ON decision_requirements (decision_requirements_id, version);
CREATE TABLE IF NOT EXISTS decisions (
  key INTEGER PRIMARY KEY, decision_id TEXT NOT NULL, version INTEGER NOT NULL, decision_requirements_key INTEGER NOT NULL,
  deployment_key INTEGER NOT NULL, version_tag TEXT NOT NULL, deleted INTEGER NOT NULL, record TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS decisions_by_id ON decisions (decision_id, version);
CREATE INDEX IF NOT EXISTS decisions_by_requirements ON decisions (decision_requirements_key);
CREATE TABLE IF NOT EXISTS batch_operations (
  key INTEGER PRIMARY KEY, batch_operation_type TEXT NOT NULL, record TEXT NOT NULL);
`;

/**
 * The record log as whole records (`{position, key, recordType, valueType, intent, timestamp, value}`
 * JSON, as Zeebe exports them), for readers of the store. `record_log` keeps the header in columns
 * and a record's value only once: a lifecycle record whose value is the one of an earlier record
 * (an element instance's ACTIVATING, ACTIVATED, COMPLETING, COMPLETED) points at it by position,
 * and at a part of it by `value_path` (a job COMPLETED at its job in the JOB_BATCH that activated it).
 * Created afresh at every open, so a store written by an earlier version reads through the current one.
 */
const STORED_VALUE = `(SELECT CASE WHEN r.value_path IS NULL THEN v.value ELSE json_extract(v.value, r.value_path) END FROM record_log v WHERE v.position = r.value_of)`;
const RECORDS_VIEW = `
DROP VIEW IF EXISTS records;
CREATE VIEW records (position, record) AS
SELECT r.position, CASE WHEN r.rejection_type IS NULL
  THEN json_object('position', r.position, 'key', r.key, 'recordType', r.record_type, 'valueType', r.value_type,
    'intent', r.intent, 'timestamp', r.timestamp, 'value', json(COALESCE(r.value, ${STORED_VALUE})))
  ELSE json_object('position', r.position, 'key', r.key, 'recordType', r.record_type, 'valueType', r.value_type,
    'intent', r.intent, 'timestamp', r.timestamp, 'rejectionType', r.rejection_type, 'rejectionReason', r.rejection_reason,
    'value', json(COALESCE(r.value, ${STORED_VALUE})))
  END
FROM record_log r;
`;

/** A store written before the record log had columns keeps its records: they move to `record_log` once. */
const MIGRATE_RECORDS_TABLE = `
INSERT INTO record_log (position, key, record_type, value_type, intent, timestamp, value, rejection_type, rejection_reason)
SELECT position, json_extract(record, '$.key'), json_extract(record, '$.recordType'), json_extract(record, '$.valueType'),
  json_extract(record, '$.intent'), json_extract(record, '$.timestamp'), json_extract(record, '$.value'),
  json_extract(record, '$.rejectionType'), json_extract(record, '$.rejectionReason')
FROM records;
DROP TABLE records;
`;

export function openDatabase(dataDir: string | undefined): Db {
  const db = openSqliteFile(dataDir, 'engine.sqlite');
  // NORMAL is durable against a killed process (the WAL is in the OS page cache); FULL would add
  // an fsync per commit to survive power loss as well. ORDERFLOW_ENGINE_FSYNC=full chooses that.
  db.pragma(`synchronous = ${process.env.ORDERFLOW_ENGINE_FSYNC === 'full' ? 'FULL' : 'NORMAL'}`);
  db.pragma('foreign_keys = OFF');
  db.exec(SCHEMA);
  const records = db.prepare<[], { type: string }>(`SELECT type FROM sqlite_master WHERE name = 'records'`).get();
  if (records?.type === 'table') db.transaction(() => db.exec(MIGRATE_RECORDS_TABLE))();
  const columns = db.prepare<[], { name: string }>('PRAGMA table_info(record_log)').all();
  if (!columns.some((column) => column.name === 'value_path')) db.exec('ALTER TABLE record_log ADD COLUMN value_path TEXT');
  db.exec(RECORDS_VIEW);
  return db;
}
