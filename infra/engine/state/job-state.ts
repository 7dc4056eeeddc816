import type { Db } from './database.js';
import { evictOldest } from './evict-oldest.js';

export const JobStatus = {
  ACTIVATABLE: 'ACTIVATABLE',
  ACTIVATED: 'ACTIVATED',
  FAILED: 'FAILED',
  ERROR_THROWN: 'ERROR_THROWN',
} as const;
export type JobStatus = (typeof JobStatus)[keyof typeof JobStatus];

/** The JOB record value, as Zeebe's JobRecord. */
export interface JobValue {
  type: string;
  worker: string;
  retries: number;
  retryBackoff: number;
  recurringTime: number;
  deadline: number;
  timeout: number;
  errorMessage: string;
  errorCode: string;
  customHeaders: Record<string, string>;
  variables: Record<string, unknown>;
  elementId: string;
  elementInstanceKey: number;
  processInstanceKey: number;
  bpmnProcessId: string;
  processDefinitionVersion: number;
  processDefinitionKey: number;
  tenantId: string;
}

/**
 * The JOB_BATCH record value, as Zeebe's JobBatchRecord: one ACTIVATED event activates every job
 * in `jobs` (Zeebe has no JOB ACTIVATED event). The jobs carry no variables here, unlike the
 * record Zeebe exports: the worker receives them in the response, the log does not keep a copy.
 */
export interface JobBatchValue {
  type: string;
  worker: string;
  timeout: number;
  maxJobsToActivate: number;
  jobKeys: number[];
  jobs: JobValue[];
  /** The variable names the worker asked for; empty for all. */
  variables: string[];
  truncated: boolean;
  tenantIds: string[];
}

export interface Job {
  key: number;
  status: JobStatus;
  value: JobValue;
}

type Row = { key: number; state: JobStatus; record: string };

/**
 * Jobs kept in memory after they were written: a job is created, activated and completed in three
 * batches close together, and each step reads it. Bounded, like the element instance cache.
 */
const CACHED_JOBS = 4_096;

/**
 * The earliest activation deadline or retry back-off of any job. Each MIN names `IS NOT NULL` so
 * SQLite may answer it from the partial index on that column; without it, every wake-up of the
 * scheduler scanned the whole table (100,000 jobs after a clock jump cancelled as many orders).
 */
export const NEXT_DUE_DATE = `
  SELECT MIN(due) AS due FROM (
    SELECT MIN(deadline) AS due FROM jobs WHERE deadline IS NOT NULL
    UNION ALL SELECT MIN(backoff_until) FROM jobs WHERE backoff_until IS NOT NULL)`;

/**
 * The keys of the oldest activatable jobs of a type, from the activatable index alone: a job pushed
 * to a stream is asked for in the batch that created it, still cached, so its row is not read.
 */
export const ACTIVATABLE_JOBS = `SELECT key FROM jobs WHERE type = ? AND state = 'ACTIVATABLE' ORDER BY key LIMIT ?`;

/** Jobs by key; writes go straight to the table, and the last ones written are cached. */
export class JobState {
  private readonly cache = new Map<number, Job>();
  private readonly select;
  private readonly selectActivatable;
  private readonly selectTimedOut;
  private readonly selectBackedOff;
  private readonly selectNextDeadline;
  private readonly upsert;
  private readonly remove;

  constructor(db: Db) {
    this.select = db.prepare<[number], Row>('SELECT key, state, record FROM jobs WHERE key = ?');
    this.selectActivatable = db.prepare<[string, number], number>(ACTIVATABLE_JOBS).pluck();
    this.selectTimedOut = db.prepare<[number, number], Row>(`SELECT key, state, record FROM jobs WHERE deadline <= ? ORDER BY deadline LIMIT ?`);
    this.selectBackedOff = db.prepare<[number, number], Row>(`SELECT key, state, record FROM jobs WHERE backoff_until <= ? ORDER BY backoff_until LIMIT ?`);
    this.selectNextDeadline = db.prepare<[], { due: number | null }>(NEXT_DUE_DATE);
    this.upsert = db.prepare('INSERT INTO jobs (key, type, state, deadline, backoff_until, element_instance_key, record) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET state = excluded.state, deadline = excluded.deadline, backoff_until = excluded.backoff_until, record = excluded.record');
    this.remove = db.prepare('DELETE FROM jobs WHERE key = ?');
  }

  get(key: number): Job | undefined {
    const cached = this.cache.get(key);
    if (cached) return cached;
    const row = this.select.get(key);
    return row && toJob(row);
  }

  activatable(type: string, limit: number): Job[] {
    return this.selectActivatable.all(type, limit).map((key) => this.get(key)!);
  }

  timedOut(now: number, limit: number): Job[] {
    return this.selectTimedOut.all(now, limit).map(toJob);
  }

  backoffElapsed(now: number, limit: number): Job[] {
    return this.selectBackedOff.all(now, limit).map(toJob);
  }

  nextDueDate(): number | undefined {
    return this.selectNextDeadline.get()?.due ?? undefined;
  }

  save(job: Job): void {
    const deadline = job.status === JobStatus.ACTIVATED ? job.value.deadline : null;
    const backoff = job.status === JobStatus.FAILED && job.value.retries > 0 && job.value.recurringTime > 0 ? job.value.recurringTime : null;
    this.upsert.run(job.key, job.value.type, job.status, deadline, backoff, job.value.elementInstanceKey, JSON.stringify(job.value));
    this.cache.set(job.key, job);
  }

  delete(key: number): void {
    this.remove.run(key);
    this.cache.delete(key);
  }

  /** After a commit: the oldest cached jobs leave first. */
  trimCache(): void {
    evictOldest(this.cache, CACHED_JOBS);
  }

  /** After a rollback: cached jobs may carry the void batch's changes. */
  forget(): void {
    this.cache.clear();
  }
}

function toJob(row: Row): Job {
  return { key: row.key, status: row.state, value: JSON.parse(row.record) };
}
