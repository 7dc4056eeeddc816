import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** Opens `<dataDir>/<fileName>` in WAL mode, creating the directory; in memory when `dataDir` is undefined. */
export function openSqliteFile(dataDir: string | undefined, fileName: string): Database.Database {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const db = new Database(dataDir ? join(dataDir, fileName) : ':memory:');
  db.pragma('journal_mode = WAL');
  return db;
}
