/**
 * The body of the WAL checkpointer's thread (see wal-checkpointer.ts): its own connection to each
 * file, and a PASSIVE checkpoint of each at every tick. PASSIVE never waits for the engine's
 * writer, and a checkpoint is idempotent, so a thread stopped half-way leaves nothing to repair.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

export interface CheckpointWorkerData {
  files: string[];
  intervalMs: number;
}

/** What the thread reports after each checkpoint that copied frames. */
export interface CheckpointReport {
  file: string;
  /** Frames in the WAL, and how many of them are now in the database file. */
  walFrames: number;
  checkpointedFrames: number;
  durationMs: number;
}

const { files, intervalMs } = workerData as CheckpointWorkerData;
const connections = files.map((file) => ({ file, db: new Database(file, { fileMustExist: true }), last: '' }));

function checkpoint(): void {
  for (const connection of connections) {
    const { file, db } = connection;
    const started = performance.now();
    const [result] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
    // An idle WAL answers the same figures at every tick: only a checkpoint that changed something is reported.
    const figures = `${result?.log}:${result?.checkpointed}`;
    if (!result || result.log <= 0 || figures === connection.last) continue;
    connection.last = figures;
    const report: CheckpointReport = { file, walFrames: result.log, checkpointedFrames: result.checkpointed, durationMs: performance.now() - started };
    parentPort?.postMessage(report);
  }
}

const timer = setInterval(checkpoint, intervalMs);
parentPort?.on('message', (message: unknown) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  for (const { db } of connections) db.close();
  parentPort?.close();
});
