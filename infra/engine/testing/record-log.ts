/**
 * The engine's record log as a test reads it: every record already written (replayed from the
 * store) and every record appended since, in position order, with a way to await the next ones.
 */
import type { EngineRecord } from '../core/records.js';
import type { EmbeddedEngine } from '../embedded-engine.js';

export class RecordLog {
  private readonly records: EngineRecord[] = [];
  private lastPosition = 0;
  private waiters: (() => void)[] = [];
  private readonly unsubscribe: () => void;

  /** Replays the store, then follows the engine; both happen in one turn, so nothing falls between. */
  constructor(engine: EmbeddedEngine) {
    const rows = engine.state.db.prepare<[], { record: string }>('SELECT record FROM records ORDER BY position').all();
    this.append(rows.map((row) => JSON.parse(row.record) as EngineRecord));
    this.unsubscribe = engine.onRecords((records) => this.append(records));
  }

  /** A snapshot of every record so far. */
  all(): readonly EngineRecord[] {
    return this.records;
  }

  /** Resolves when new records arrive or after `maxWaitMs`, whichever is first. */
  nextChange(maxWaitMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(maxWaitMs, 0));
      const waiter = () => done();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.waiters.push(waiter);
    });
  }

  close(): void {
    this.unsubscribe();
    this.wakeWaiters();
  }

  private append(records: EngineRecord[]): void {
    for (const record of records) {
      // A record replayed from the store may be handed out again by the listener; keep it once.
      if (record.position <= this.lastPosition) continue;
      this.records.push(record);
      this.lastPosition = record.position;
    }
    this.wakeWaiters();
  }

  private wakeWaiters(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
