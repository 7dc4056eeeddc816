import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CheckpointReport } from '../../../infra/engine/state/wal-checkpoint-worker.js';
import { startWalCheckpointer, type WalCheckpointer } from '../../../infra/engine/state/wal-checkpointer.js';
import { openSqliteFile } from '../../../infra/engine/state/sqlite-file.js';

const ROW = 'x'.repeat(3_000);
const run = promisify(execFile);

describe('the WAL checkpointer', () => {
  let dir: string;
  let db: Database.Database;
  let checkpointer: WalCheckpointer | undefined;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'orderflow-wal-'));
    db = openSqliteFile(dir, 'state.sqlite');
    db.exec('CREATE TABLE rows (id INTEGER PRIMARY KEY, value TEXT NOT NULL)');
  });

  afterEach(async () => {
    await checkpointer?.stop();
    checkpointer = undefined;
    if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const insert = (count: number) => {
    const statement = db.prepare('INSERT INTO rows (value) VALUES (?)');
    db.transaction(() => { for (let i = 0; i < count; i++) statement.run(ROW); })();
  };
  const fileSize = (name: string) => statSync(path.join(dir, name)).size;
  const until = async (condition: () => boolean) => {
    const deadline = Date.now() + 10_000;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error('Expected the condition to hold within 10 s, but it did not');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  it('copies committed frames into the database file from its thread, while the writer only commits', async () => {
    const reports: CheckpointReport[] = [];
    checkpointer = startWalCheckpointer([db], { intervalMs: 20, onCheckpoint: (report) => reports.push(report) });
    const before = fileSize('state.sqlite');
    insert(200);

    await until(() => reports.some((report) => report.checkpointedFrames > 0));
    expect(reports[0]).toMatchObject({ file: db.name });
    // 200 rows of 3 KB: far below the writer's own threshold, so only the thread can have copied them.
    expect(fileSize('state.sqlite')).toBeGreaterThan(before + 200 * 3_000);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBeGreaterThanOrEqual(16_384);
  });

  it('lets the WAL start over while the writer keeps committing, so it stays small', async () => {
    let reports = 0;
    checkpointer = startWalCheckpointer([db], { intervalMs: 20, onCheckpoint: () => reports++ });
    insert(1);
    await until(() => reports > 0);
    // About 18 MB in 600 commits, in bursts of 10 with the event loop free in between, as a busy engine writes.
    for (let burst = 0; burst < 60; burst++) {
      for (let i = 0; i < 10; i++) insert(10);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await checkpointer.stop();
    checkpointer = undefined;

    expect(fileSize('state.sqlite-wal')).toBeLessThan(6_000_000);
    expect(db.prepare('SELECT COUNT(*) AS n FROM rows').get()).toEqual({ n: 6_001 });
  });

  it('stops in a process with nothing else to do, and the code after stopping still runs', async () => {
    const module = (name: string) => JSON.stringify(new URL(`../../../infra/engine/state/${name}.ts`, import.meta.url).href);
    const script = [
      `import { openSqliteFile } from ${module('sqlite-file')};`,
      `import { startWalCheckpointer } from ${module('wal-checkpointer')};`,
      `const db = openSqliteFile(${JSON.stringify(dir)}, 'alone.sqlite');`,
      'const checkpointer = startWalCheckpointer([db], { intervalMs: 20 });',
      'await checkpointer.stop();',
      'db.close();',
      "console.log('after stop');",
    ].join('\n');

    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);

    expect(stdout).toContain('after stop');
  });

  it('stops, and the writer closes with every row in the database file', async () => {
    checkpointer = startWalCheckpointer([db], { intervalMs: 20 });
    insert(100);
    await checkpointer.stop();
    checkpointer = undefined;
    db.close();

    const reopened = new Database(path.join(dir, 'state.sqlite'), { readonly: true });
    try {
      expect(reopened.prepare('SELECT COUNT(*) AS n FROM rows').get()).toEqual({ n: 100 });
    } finally {
      reopened.close();
    }
  });
});
