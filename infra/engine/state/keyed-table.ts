import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';

export interface Keyed<V> {
  key: number;
  value: V;
}

/**
 * A table of records by key whose value is stored as JSON, with a few columns copied out of the
 * value so that they can be indexed and queried.
 */
export class KeyedTable<V> {
  private readonly select;
  private readonly upsert;
  private readonly remove;
  private readonly queries = new Map<string, Statement<unknown[]>>();

  constructor(
    private readonly db: Db,
    private readonly table: string,
    private readonly columns: Record<string, (value: V) => unknown>,
  ) {
    const names = Object.keys(columns);
    this.select = db.prepare<[number], { record: string }>(`SELECT record FROM ${table} WHERE key = ?`);
    this.upsert = db.prepare(
      `INSERT OR REPLACE INTO ${table} (key, ${names.join(', ')}, record) VALUES (?, ${names.map(() => '?').join(', ')}, ?)`,
    );
    this.remove = db.prepare(`DELETE FROM ${table} WHERE key = ?`);
  }

  get(key: number): V | undefined {
    const row = this.select.get(key);
    return row ? (JSON.parse(row.record) as V) : undefined;
  }

  put(key: number, value: V): void {
    this.upsert.run(key, ...Object.values(this.columns).map((of) => of(value)), JSON.stringify(value));
  }

  delete(key: number): void {
    this.remove.run(key);
  }

  /** Rows matching a WHERE clause over the copied-out columns, e.g. `due_date <= ? ORDER BY due_date`. */
  where(clause: string, ...params: unknown[]): Keyed<V>[] {
    let statement = this.queries.get(clause);
    if (!statement) {
      statement = this.db.prepare<unknown[]>(`SELECT key, record FROM ${this.table} WHERE ${clause}`);
      this.queries.set(clause, statement);
    }
    return (statement.all(...params) as { key: number; record: string }[]).map((row) => ({ key: row.key, value: JSON.parse(row.record) as V }));
  }

  scalar(sql: string, ...params: unknown[]): unknown {
    let statement = this.queries.get(sql);
    if (!statement) {
      statement = this.db.prepare<unknown[]>(sql);
      this.queries.set(sql, statement);
    }
    const row = statement.get(...params) as Record<string, unknown> | undefined;
    return row ? Object.values(row)[0] : undefined;
  }
}
