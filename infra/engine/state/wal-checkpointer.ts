/**
 * Checkpoints the engine's SQLite files from a thread of their own. SQLite's automatic checkpoint
 * runs inside the commit that crosses the WAL's threshold: that commit copies the frames into the
 * database file and waits for two fsyncs, and every command of its batch waits with it (most
 * commits take a fraction of a millisecond, those took 5 to 30). From this thread the copying and
 * the fsyncs happen beside the engine's work, and less often, so a page written by many batches
 * in between is copied once.
 *
 * SQLite starts the WAL over only once a checkpoint has copied every frame, and the engine commits
 * while the thread copies, so the thread rarely catches up on its own: after each of its
 * checkpoints, the writer's connection checkpoints the few frames left, between two batches.
 */
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import type { CheckpointReport, CheckpointWorkerData } from './wal-checkpoint-worker.js';

/** How often the thread checkpoints: a WAL holds a few megabytes between two. */
const CHECKPOINT_INTERVAL_MS = 250;

/**
 * The writer's own automatic checkpoint stays on, far above what the thread lets the WAL reach, so
 * the WAL stays bounded if the thread falls behind or dies (16,384 pages: 64 MiB).
 */
const FALLBACK_AUTOCHECKPOINT_PAGES = 16_384;

/** What a connection goes back to when the thread fails: SQLite's own checkpoint in the commits. */
const SQLITE_DEFAULT_AUTOCHECKPOINT_PAGES = 1_000;

export interface WalCheckpointer {
  /** Stops the thread after its current checkpoint; the writer's close checkpoints what is left. */
  stop(): Promise<void>;
}

export interface WalCheckpointerOptions {
  intervalMs?: number;
  /** After each checkpoint of the thread that copied frames. */
  onCheckpoint?: (report: CheckpointReport) => void;
  /** The thread failed; the connections checkpoint in their commits again. */
  onError?: (error: Error) => void;
}

/**
 * A thread running the module at `url`: the compiled JavaScript, or under tsx (whose loader a
 * thread does not inherit) the TypeScript source beside it, through tsx's loader registered first.
 */
function startModuleThread(url: URL, workerData: unknown): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(url, { workerData });
  const source = new URL(url.href.replace(/\.js$/, '.ts'));
  const code = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(source.href)}); })`;
  return new Worker(code, { eval: true, workerData });
}

function catchUp(db: Database.Database | undefined): void {
  // Nothing to copy costs nothing; a connection closed meanwhile has checkpointed everything on closing.
  if (db?.open) db.pragma('wal_checkpoint(PASSIVE)');
}

/** Starts checkpointing the WAL files of these connections (file-backed, WAL mode) from a thread. */
export function startWalCheckpointer(connections: Database.Database[], options: WalCheckpointerOptions = {}): WalCheckpointer {
  for (const db of connections) db.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
  const workerData: CheckpointWorkerData = { files: connections.map((db) => db.name), intervalMs: options.intervalMs ?? CHECKPOINT_INTERVAL_MS };
  const worker = startModuleThread(new URL('./wal-checkpoint-worker.js', import.meta.url), workerData);
  worker.unref();
  const byFile = new Map(connections.map((db) => [db.name, db]));
  worker.on('message', (report: CheckpointReport) => {
    options.onCheckpoint?.(report);
    setImmediate(() => catchUp(byFile.get(report.file)));
  });
  worker.on('error', (error) => {
    for (const db of connections) if (db.open) db.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT_PAGES}`);
    options.onError?.(error);
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    async stop() {
      // Held until it exits: the caller's next steps (closing the writer) must not be cut off by an empty event loop.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
