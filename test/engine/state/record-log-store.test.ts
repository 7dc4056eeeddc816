/**
 * The record log in the engine's store: a data directory written by an earlier version of the
 * engine opens with the current one, and its records read as they were written.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../infra/engine/state/database.js';

/** `record_log` and its view as stores had them before values could point inside another record's value. */
const STORE_WITHOUT_VALUE_PATHS = `
CREATE TABLE record_log (
  position INTEGER PRIMARY KEY, key INTEGER NOT NULL, record_type TEXT NOT NULL, value_type TEXT NOT NULL,
  intent TEXT NOT NULL, timestamp INTEGER NOT NULL, value TEXT, value_of INTEGER,
  rejection_type TEXT, rejection_reason TEXT);
CREATE VIEW records (position, record) AS
SELECT r.position, json_object('position', r.position, 'key', r.key, 'value',
  json(COALESCE(r.value, (SELECT v.value FROM record_log v WHERE v.position = r.value_of))))
FROM record_log r;
INSERT INTO record_log VALUES (1, 10, 'EVENT', 'JOB', 'CREATED', 1000, '{"type":"charge","retries":3}', NULL, NULL, NULL);
INSERT INTO record_log VALUES (2, 10, 'EVENT', 'JOB', 'COMPLETED', 2000, NULL, 1, NULL, NULL);
`;

let dataDir: string | undefined;
afterEach(() => {
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

describe('record log store', () => {
  it('When a store written before value paths is opened, then its records still read whole, and new ones can point inside a value', () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'orderflow-record-log-'));
    const old = new Database(path.join(dataDir, 'engine.sqlite'));
    old.exec(STORE_WITHOUT_VALUE_PATHS);
    old.close();

    const db = openDatabase(dataDir);
    db.prepare(`INSERT INTO record_log (position, key, record_type, value_type, intent, timestamp, value, value_of, value_path) VALUES
      (3, 20, 'EVENT', 'JOB_BATCH', 'ACTIVATED', 3000, '{"jobKeys":[30],"jobs":[{"type":"ship","worker":"w"}]}', NULL, NULL),
      (4, 30, 'EVENT', 'JOB', 'COMPLETED', 4000, NULL, 3, '$.jobs[0]')`).run();
    const values = db.prepare<[], { record: string }>('SELECT record FROM records ORDER BY position').all().map((row) => JSON.parse(row.record).value);
    db.close();

    expect(values).toEqual([
      { type: 'charge', retries: 3 },
      { type: 'charge', retries: 3 },
      { jobKeys: [30], jobs: [{ type: 'ship', worker: 'w' }] },
      { type: 'ship', worker: 'w' },
    ]);
  });
});
