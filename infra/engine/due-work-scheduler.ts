/**
 * The engine's scheduler for work that falls due with time: timers, job deadlines and retry
 * back-offs, message expiry. It sleeps until the earliest due date the store holds, is woken earlier
 * by what a batch schedules before that, and hands the commands that act on what is due to the
 * engine, which processes them as it processes clients' commands.
 */
import type { Clock } from './core/clock.js';
import { ValueType, type EngineRecord } from './core/records.js';
import type { Command } from './processing/command.js';
import { JobBatchIntent, JobIntent } from './processing/appliers/job-appliers.js';
import type { EngineState } from './state/engine-state.js';
import type { JobBatchValue } from './state/job-state.js';

/** Longest a scheduler sleep lasts; timers are re-read from the store after it anyway. */
const MAX_SCHEDULER_SLEEP_MS = 60_000;
/** Due items of each kind read per wake-up; the rest are read at once after those are processed. */
const DUE_BATCH = 1_000;

export class DueWorkScheduler {
  private timer: NodeJS.Timeout | undefined;
  /** Engine-clock time the scheduler wakes up at next. */
  private wakeUpAt: number | undefined;
  private closed = false;

  constructor(
    private readonly state: EngineState,
    private readonly clock: Clock,
    /** Processes the due commands, in batches, before the scheduler reads the store again. */
    private readonly processDue: (commands: Command[]) => void,
  ) {}

  /** Reads the next due timer, job deadline, back-off or message expiry from the store and sleeps until then. */
  rescan(): void {
    if (this.closed) return;
    const due = [
      this.state.timers.scalar('SELECT MIN(due_date) FROM timers') as number | null,
      this.state.jobs.nextDueDate() ?? null,
      this.state.messages.scalar('SELECT MIN(deadline) FROM messages') as number | null,
    ].filter((d): d is number => d !== null && d !== undefined);
    if (this.timer) clearTimeout(this.timer);
    this.wakeUpAt = undefined;
    if (due.length > 0) this.sleepUntil(Math.min(...due));
  }

  /** After a batch: only what it scheduled can be due before the next wake-up. */
  considerRecords(records: EngineRecord[]): void {
    const due = earliestDueDate(records);
    if (due !== undefined && (this.wakeUpAt === undefined || due < this.wakeUpAt)) this.sleepUntil(due);
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private sleepUntil(due: number): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.wakeUpAt = due;
    const wait = Math.min(Math.max(due - this.clock.now(), 0), MAX_SCHEDULER_SLEEP_MS);
    this.timer = setTimeout(() => this.processDueWork(), wait);
    this.timer.unref();
  }

  private processDueWork(): void {
    const now = this.clock.now();
    this.processDue([
      ...this.state.timers.where('due_date <= ? ORDER BY due_date LIMIT ?', now, DUE_BATCH).map((t) => ({ key: t.key, valueType: ValueType.TIMER, intent: 'TRIGGER', value: t.value })),
      ...this.state.jobs.timedOut(now, DUE_BATCH).map((j) => ({ key: j.key, valueType: ValueType.JOB, intent: JobIntent.TIME_OUT, value: j.value })),
      ...this.state.jobs.backoffElapsed(now, DUE_BATCH).map((j) => ({ key: j.key, valueType: ValueType.JOB, intent: JobIntent.RECUR_AFTER_BACKOFF, value: j.value })),
      ...this.state.messages.where('deadline <= ? ORDER BY deadline LIMIT ?', now, DUE_BATCH).map((m) => ({ key: m.key, valueType: ValueType.MESSAGE, intent: 'EXPIRE', value: m.value })),
    ]);
    this.rescan();
  }
}

/** The earliest moment something written in a batch becomes due: a timer, a job deadline or back-off, a message expiry. */
function earliestDueDate(records: EngineRecord[]): number | undefined {
  let earliest: number | undefined;
  const consider = (at: unknown) => {
    if (typeof at === 'number' && at > 0 && (earliest === undefined || at < earliest)) earliest = at;
  };
  for (const record of records) {
    if (record.recordType !== 'EVENT') continue;
    const value = record.value as { dueDate?: unknown; deadline?: unknown; recurringTime?: unknown; timeToLive?: unknown };
    if (record.valueType === ValueType.TIMER && record.intent === 'CREATED') consider(value.dueDate);
    else if (record.valueType === ValueType.JOB_BATCH && record.intent === JobBatchIntent.ACTIVATED) {
      for (const job of (record.value as unknown as JobBatchValue).jobs) consider(job.deadline);
    } else if (record.valueType === ValueType.JOB) {
      if (record.intent === JobIntent.TIMEOUT_UPDATED) consider(value.deadline);
      else if (record.intent === JobIntent.FAILED) consider(value.recurringTime);
    } else if (record.valueType === ValueType.MESSAGE && record.intent === 'PUBLISHED' && Number(value.timeToLive) > 0) consider(value.deadline);
  }
  return earliest;
}
