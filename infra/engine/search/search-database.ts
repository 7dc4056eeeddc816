/**
 * The search projection's own SQLite file (`search.sqlite` beside the engine's store), Camunda's
 * secondary storage in small: what the REST API searches, written from the record stream only.
 * It can always be rebuilt from the engine's record log, so it trades durability for speed.
 */
import Database from 'better-sqlite3';
import { openSqliteFile } from '../state/sqlite-file.js';

export type SearchDb = Database.Database;

/** Bumped when the tables change: a projection of another version is rebuilt from the record log. */
export const SEARCH_SCHEMA_VERSION = '4';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS process_definitions (
  key INTEGER PRIMARY KEY, bpmn_process_id TEXT NOT NULL, version INTEGER NOT NULL, version_tag TEXT,
  name TEXT, resource_name TEXT NOT NULL, xml TEXT NOT NULL, tenant_id TEXT NOT NULL,
  deployed_at INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, described INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS process_definitions_by_id ON process_definitions (bpmn_process_id, version);
CREATE TABLE IF NOT EXISTS decision_requirements (
  key INTEGER PRIMARY KEY, decision_requirements_id TEXT NOT NULL, name TEXT NOT NULL, version INTEGER NOT NULL,
  resource_name TEXT NOT NULL, xml TEXT NOT NULL, tenant_id TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS decision_definitions (
  key INTEGER PRIMARY KEY, decision_id TEXT NOT NULL, name TEXT NOT NULL, version INTEGER NOT NULL,
  decision_requirements_id TEXT NOT NULL, decision_requirements_key INTEGER NOT NULL, tenant_id TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS element_names (
  process_definition_key INTEGER NOT NULL, element_id TEXT NOT NULL, name TEXT NOT NULL,
  PRIMARY KEY (process_definition_key, element_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS process_instances (
  key INTEGER PRIMARY KEY, bpmn_process_id TEXT NOT NULL, process_definition_key INTEGER NOT NULL,
  version INTEGER NOT NULL, parent_process_instance_key INTEGER, parent_element_instance_key INTEGER,
  start_date INTEGER NOT NULL, end_date INTEGER, state TEXT NOT NULL, incidents INTEGER NOT NULL DEFAULT 0,
  tenant_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS process_instances_by_definition ON process_instances (process_definition_key);
CREATE INDEX IF NOT EXISTS process_instances_by_process_id ON process_instances (bpmn_process_id, version);
CREATE INDEX IF NOT EXISTS process_instances_by_start ON process_instances (start_date);
CREATE TABLE IF NOT EXISTS element_instances (
  key INTEGER PRIMARY KEY, process_instance_key INTEGER NOT NULL, process_definition_key INTEGER NOT NULL,
  bpmn_process_id TEXT NOT NULL, element_id TEXT NOT NULL, type TEXT NOT NULL, state TEXT NOT NULL,
  flow_scope_key INTEGER NOT NULL, start_date INTEGER NOT NULL, end_date INTEGER, incident_key INTEGER,
  tenant_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS element_instances_by_instance ON element_instances (process_instance_key);
CREATE TABLE IF NOT EXISTS incidents (
  key INTEGER PRIMARY KEY, process_instance_key INTEGER NOT NULL, process_definition_key INTEGER NOT NULL,
  bpmn_process_id TEXT NOT NULL, element_id TEXT NOT NULL, element_instance_key INTEGER NOT NULL,
  job_key INTEGER, error_type TEXT NOT NULL, error_message TEXT NOT NULL, creation_time INTEGER NOT NULL,
  state TEXT NOT NULL, tenant_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS incidents_by_instance ON incidents (process_instance_key);
CREATE TABLE IF NOT EXISTS variables (
  key INTEGER PRIMARY KEY, name TEXT NOT NULL, value TEXT NOT NULL, scope_key INTEGER NOT NULL,
  process_instance_key INTEGER NOT NULL, tenant_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS variables_by_instance ON variables (process_instance_key, name);
CREATE INDEX IF NOT EXISTS variables_by_name ON variables (name);
CREATE TABLE IF NOT EXISTS jobs (
  key INTEGER PRIMARY KEY, type TEXT NOT NULL, worker TEXT NOT NULL, state TEXT NOT NULL,
  retries INTEGER NOT NULL, error_message TEXT, error_code TEXT, element_id TEXT NOT NULL,
  element_instance_key INTEGER NOT NULL, process_instance_key INTEGER NOT NULL,
  process_definition_key INTEGER NOT NULL, bpmn_process_id TEXT NOT NULL, deadline INTEGER,
  end_time INTEGER, custom_headers TEXT NOT NULL, tenant_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS jobs_by_instance ON jobs (process_instance_key);
CREATE TABLE IF NOT EXISTS sequence_flows (
  process_instance_key INTEGER NOT NULL, element_id TEXT NOT NULL, process_definition_key INTEGER NOT NULL,
  bpmn_process_id TEXT NOT NULL, tenant_id TEXT NOT NULL,
  PRIMARY KEY (process_instance_key, element_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS batch_operations (
  key INTEGER PRIMARY KEY, type TEXT NOT NULL, state TEXT NOT NULL, start_date INTEGER NOT NULL, end_date INTEGER,
  total INTEGER NOT NULL, completed INTEGER NOT NULL DEFAULT 0, failed INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS batch_operation_items (
  batch_operation_key INTEGER NOT NULL, item_key INTEGER NOT NULL, process_instance_key INTEGER,
  state TEXT NOT NULL, error_message TEXT, processed_date INTEGER NOT NULL,
  PRIMARY KEY (batch_operation_key, item_key)) WITHOUT ROWID;
`;

const TABLES = ['meta', 'process_definitions', 'decision_requirements', 'decision_definitions', 'element_names', 'process_instances', 'element_instances', 'incidents', 'variables', 'jobs', 'sequence_flows', 'batch_operations', 'batch_operation_items'];

/** Opens (or creates) the projection's store; in memory when `dataDir` is undefined. */
export function openSearchDatabase(dataDir: string | undefined): SearchDb {
  const db = openSqliteFile(dataDir, 'search.sqlite');
  // A lost tail is re-projected from the record log at the next start: no fsync needed.
  db.pragma('synchronous = OFF');
  const version = tableExists(db, 'meta') ? readMeta(db, 'schemaVersion') : undefined;
  if (version !== undefined && version !== SEARCH_SCHEMA_VERSION) dropAll(db);
  db.exec(SCHEMA);
  writeMeta(db, 'schemaVersion', SEARCH_SCHEMA_VERSION);
  return db;
}

/** Empties every table, for a rebuild from the start of the record log. */
export function clearSearchDatabase(db: SearchDb): void {
  db.transaction(() => {
    for (const table of TABLES) db.prepare(`DELETE FROM ${table}`).run();
    writeMeta(db, 'schemaVersion', SEARCH_SCHEMA_VERSION);
  })();
}

export function readMeta(db: SearchDb, name: string): string | undefined {
  return db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE name = ?').get(name)?.value;
}

export function writeMeta(db: SearchDb, name: string, value: string): void {
  db.prepare('INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)').run(name, value);
}

function tableExists(db: SearchDb, table: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
}

function dropAll(db: SearchDb): void {
  for (const table of TABLES) db.exec(`DROP TABLE IF EXISTS ${table}`);
}
