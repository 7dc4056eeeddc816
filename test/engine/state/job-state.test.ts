/**
 * The scheduler asks for the next job deadline after every batch: the answer must be right and must
 * come from the indexes, however many jobs wait without a deadline.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../infra/engine/state/database.js';
import { JobState, JobStatus, NEXT_DUE_DATE, type Job } from '../../../infra/engine/state/job-state.js';

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
