/**
 * Everything a run stored, as scan items: every text and JSON cell of the services' PostgreSQL
 * databases, every cell of the engine's SQLite store (record log and process variables included)
 * and every engine record as JSON.
 */
import pg from 'pg';
import type { EngineRecord } from '../../infra/engine/core/records.js';
import type { EmbeddedEngine } from '../../infra/engine/embedded-engine.js';
import { connectionFor, type DatabaseConfig } from '../../lib/database/database-config.js';
import type { ServiceName } from '../../lib/database/service-databases.js';
import type { ScanItem } from './card-data-scanner.js';

export interface StoredColumn {
  store: string;
  table: string;
  column: string;
}

const textTypes = ['text', 'character varying', 'character', 'json', 'jsonb'];

/** The text and JSON cells of every table of the services' databases, and every column's name. */
export async function postgresItems(config: DatabaseConfig, services: readonly ServiceName[]): Promise<{ items: ScanItem[]; columns: StoredColumn[] }> {
  const items: ScanItem[] = [];
  const columns: StoredColumn[] = [];
  for (const service of services) {
    const client = new pg.Client(connectionFor(service, config));
    await client.connect();
    try {
      const { rows } = await client.query<{ table: string; column: string; type: string }>(
        `SELECT c.table_name::text AS table, c.column_name::text AS column, c.data_type::text AS type
         FROM information_schema.columns c JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
         WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' ORDER BY 1, c.ordinal_position`,
      );
      for (const { table, column, type } of rows) {
        columns.push({ store: `postgres:${service}`, table, column });
        if (!textTypes.includes(type)) continue;
        const cells = await client.query<{ value: string | null }>(`SELECT ${pg.escapeIdentifier(column)}::text AS value FROM ${pg.escapeIdentifier(table)}`);
        cells.rows.forEach(({ value }, index) => value !== null && items.push({ source: `postgres:${service}.${table}.${column}#${index}`, text: value }));
      }
    } finally {
      await client.end();
    }
  }
  return { items, columns };
}

/** Every cell of every table of the engine's store, whatever its type. */
export function engineStoreItems(engine: EmbeddedEngine): { items: ScanItem[]; columns: StoredColumn[] } {
  const db = engine.state.db;
  const items: ScanItem[] = [];
  const columns: StoredColumn[] = [];
  const tables = db.prepare<[], { name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all();
  for (const { name } of tables) {
    const rows = db.prepare<[], Record<string, unknown>>(`SELECT * FROM "${name.replaceAll('"', '""')}"`).all();
    for (const column of db.prepare<[string], { name: string }>(`SELECT name FROM pragma_table_info(?)`).all(name)) columns.push({ store: 'engine', table: name, column: column.name });
    rows.forEach((row, index) => {
      for (const [column, value] of Object.entries(row)) {
        if (value !== null) items.push({ source: `engine:${name}.${column}#${index}`, text: Buffer.isBuffer(value) ? value.toString() : String(value) });
      }
    });
  }
  return { items, columns };
}

export function recordItems(records: readonly EngineRecord[]): ScanItem[] {
  return records.map((record) => ({ source: `engine-record:${record.position}`, text: JSON.stringify(record) }));
}

/**
 * The keys the engine handed out (record keys and every `…Key` in a record's value): 16-digit
 * numbers that pass the Luhn check one time in ten and are ids, not cards.
 */
export function engineKeys(records: readonly EngineRecord[]): Set<string> {
  const keys = new Set<string>();
  const visit = (value: unknown, name: string) => {
    if (/key$/i.test(name) && (typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value)))) keys.add(String(value));
    else if (value !== null && typeof value === 'object') for (const [child, nested] of Object.entries(value)) visit(nested, child);
  };
  for (const record of records) visit(record, 'key');
  return keys;
}

/** The key the engine hands out next (its store's `meta.nextKey`): an id like the others, not yet in any record. */
export function engineNextKey(engine: EmbeddedEngine): string | undefined {
  return engine.state.db.prepare<[], { value: string }>(`SELECT value FROM meta WHERE name = 'nextKey'`).get()?.value;
}
