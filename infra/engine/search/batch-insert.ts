/**
 * Inserts many rows with few statements: rows go in multi-row `INSERT … VALUES (…), (…)` of a
 * fixed size (fewer calls into SQLite), the rest one by one.
 */
import type { Statement } from 'better-sqlite3';
import type { SearchDb } from './search-database.js';

/** Rows per statement: well under SQLite's parameter limit for the widest table (16 columns). */
const ROWS_PER_STATEMENT = 32;

export class BatchInsert {
  private readonly one: Statement<unknown[]>;
  private readonly many: Statement<unknown[]>;

  /** @param verb `INSERT OR REPLACE` or `INSERT OR IGNORE` */
  constructor(db: SearchDb, verb: string, table: string, columns: readonly string[]) {
    const row = `(${columns.map(() => '?').join(', ')})`;
    const head = `${verb} INTO ${table} (${columns.join(', ')}) VALUES `;
    this.one = db.prepare(head + row);
    this.many = db.prepare(head + Array(ROWS_PER_STATEMENT).fill(row).join(', '));
  }

  run(rows: readonly unknown[][]): void {
    let i = 0;
    for (; i + ROWS_PER_STATEMENT <= rows.length; i += ROWS_PER_STATEMENT) this.many.run(...rows.slice(i, i + ROWS_PER_STATEMENT).flat());
    for (; i < rows.length; i++) this.one.run(...rows[i]!);
  }
}
