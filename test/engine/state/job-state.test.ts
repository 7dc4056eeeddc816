/**
 * The scheduler asks for the next job deadline after every batch, and activation asks for the oldest
 * activatable jobs of a type: the answers must be right and must come from the indexes, however
 * many jobs the store holds.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../infra/engine/state/database.js';
import { ACTIVATABLE_JOBS, JobState, JobStatus, NEXT_DUE_DATE, type Job } from '../../../infra/engine/state/job-state.js';

function job(key: number, status: Job['status'], value: Partial<Job['value']> = {}): Job {
  return {
    key,
    status,
    value: {
      type: 'charge', worker: '', retries: 3, retryBackoff: 0, recurringTime: -1, deadline: -1, timeout: -1, errorMessage: '', errorCode: '', customHeaders: {}, variables: {},
      elementId: 'task', elementInstanceKey: key + 1, processInstanceKey: key + 2, bpmnProcessId: 'p', processDefinitionVersion: 1, processDefinitionKey: 1, tenantId: '<default>',
      ...value,
    },
  };
}

describe('job state: the next due date', () => {
  let db: Db;
  let jobs: JobState;

  beforeEach(() => {
    db = openDatabase(undefined);
    jobs = new JobState(db);
  });

  afterEach(() => db.close());

  it('When no job is activated or backing off, then there is no due date', () => {
    jobs.save(job(1, JobStatus.ACTIVATABLE));
    expect(jobs.nextDueDate()).toBeUndefined();
  });

  it('When jobs are activated and others back off after a failure, then the earliest deadline or back-off is due', () => {
    jobs.save(job(1, JobStatus.ACTIVATABLE));
    jobs.save(job(2, JobStatus.ACTIVATED, { deadline: 5_000 }));
    jobs.save(job(3, JobStatus.FAILED, { retries: 2, recurringTime: 3_000 }));
    jobs.save(job(4, JobStatus.ACTIVATED, { deadline: 4_000 }));
    expect(jobs.nextDueDate()).toBe(3_000);
    jobs.delete(3);
    expect(jobs.nextDueDate()).toBe(4_000);
  });

  it('When the next due date is read, then SQLite searches the deadline and back-off indexes instead of scanning every job', () => {
    const plan = db.prepare<[], { detail: string }>(`EXPLAIN QUERY PLAN ${NEXT_DUE_DATE}`).all().map((row) => row.detail);
    expect(plan).toContainEqual(expect.stringMatching(/USING COVERING INDEX jobs_by_deadline/));
    expect(plan).toContainEqual(expect.stringMatching(/USING COVERING INDEX jobs_by_backoff/));
    expect(plan.filter((detail) => /^(SCAN|SEARCH) jobs$/.test(detail))).toEqual([]);
  });
});

describe('job state: activatable jobs', () => {
  let db: Db;
  let jobs: JobState;

  beforeEach(() => {
    db = openDatabase(undefined);
    jobs = new JobState(db);
    jobs.save(job(30, JobStatus.ACTIVATABLE));
    jobs.save(job(10, JobStatus.ACTIVATABLE));
    jobs.save(job(20, JobStatus.ACTIVATED, { deadline: 5_000 }));
    jobs.save(job(40, JobStatus.ACTIVATABLE, { type: 'ship' }));
    jobs.save(job(50, JobStatus.ACTIVATABLE));
  });

  afterEach(() => db.close());

  it('When jobs of a type are activatable, then the oldest come first, up to the limit, without activated jobs or other types', () => {
    expect(jobs.activatable('charge', 2).map((j) => j.key)).toEqual([10, 30]);
    expect(jobs.activatable('charge', 10).map((j) => j.key)).toEqual([10, 30, 50]);
  });

  it('When the jobs are no longer cached, then they are read whole from the store', () => {
    const uncached = new JobState(db);
    expect(uncached.activatable('charge', 10)).toEqual([job(10, JobStatus.ACTIVATABLE), job(30, JobStatus.ACTIVATABLE), job(50, JobStatus.ACTIVATABLE)]);
  });

  it('When activatable jobs are looked up, then SQLite reads only the activatable index, in key order, instead of scanning every job', () => {
    const plan = db.prepare<[string, number], { detail: string }>(`EXPLAIN QUERY PLAN ${ACTIVATABLE_JOBS}`).all('charge', 10).map((row) => row.detail);
    expect(plan).toEqual([expect.stringMatching(/^SEARCH jobs USING COVERING INDEX jobs_activatable \(type=\? AND state=\?\)$/)]);
  });
});
