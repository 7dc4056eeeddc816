import { ValueType } from '../../core/records.js';
import type { EngineState } from '../../state/engine-state.js';
import { JobStatus, type Job, type JobBatchValue, type JobValue } from '../../state/job-state.js';
import type { ApplierTable } from './applier-registry.js';
import { updateElementData } from './process-instance-appliers.js';

export const JobIntent = {
  CREATED: 'CREATED',
  COMPLETE: 'COMPLETE',
  COMPLETED: 'COMPLETED',
  FAIL: 'FAIL',
  FAILED: 'FAILED',
  THROW_ERROR: 'THROW_ERROR',
  ERROR_THROWN: 'ERROR_THROWN',
  TIME_OUT: 'TIME_OUT',
  TIMED_OUT: 'TIMED_OUT',
  UPDATE_RETRIES: 'UPDATE_RETRIES',
  RETRIES_UPDATED: 'RETRIES_UPDATED',
  UPDATE_TIMEOUT: 'UPDATE_TIMEOUT',
  TIMEOUT_UPDATED: 'TIMEOUT_UPDATED',
  RECUR_AFTER_BACKOFF: 'RECUR_AFTER_BACKOFF',
  RECURRED_AFTER_BACKOFF: 'RECURRED_AFTER_BACKOFF',
  YIELD: 'YIELD',
  YIELDED: 'YIELDED',
  CANCELED: 'CANCELED',
} as const;

/** Zeebe activates jobs only in batches: JOB_BATCH ACTIVATED is the one activation event. */
export const JobBatchIntent = {
  ACTIVATE: 'ACTIVATE',
  ACTIVATED: 'ACTIVATED',
} as const;

export function jobAppliers(state: EngineState): ApplierTable {
  const save = (key: number, status: Job['status'], value: JobValue) => state.jobs.save({ key, status, value });
  const remove = (key: number, value: JobValue) => {
    state.jobs.delete(key);
    updateElementData(state, value.elementInstanceKey, { jobKey: undefined });
  };
  return {
    [ValueType.JOB]: {
      [JobIntent.CREATED]: (key, value: JobValue) => {
        save(key, JobStatus.ACTIVATABLE, value);
        updateElementData(state, value.elementInstanceKey, { jobKey: key });
      },
      [JobIntent.COMPLETED]: remove,
      [JobIntent.CANCELED]: remove,
      [JobIntent.ERROR_THROWN]: (key, value: JobValue) => save(key, JobStatus.ERROR_THROWN, value),
      [JobIntent.FAILED]: (key, value: JobValue) => {
        const activatableNow = value.retries > 0 && value.retryBackoff <= 0;
        save(key, activatableNow ? JobStatus.ACTIVATABLE : JobStatus.FAILED, value);
      },
      [JobIntent.TIMED_OUT]: (key, value: JobValue) => save(key, JobStatus.ACTIVATABLE, value),
      [JobIntent.RECURRED_AFTER_BACKOFF]: (key, value: JobValue) => save(key, JobStatus.ACTIVATABLE, value),
      [JobIntent.YIELDED]: (key, value: JobValue) => save(key, JobStatus.ACTIVATABLE, value),
      [JobIntent.RETRIES_UPDATED]: (key, value: JobValue) => {
        const job = state.jobs.get(key);
        if (job) save(key, job.status, value);
      },
      [JobIntent.TIMEOUT_UPDATED]: (key, value: JobValue) => save(key, JobStatus.ACTIVATED, value),
    },
    [ValueType.JOB_BATCH]: {
      [JobBatchIntent.ACTIVATED]: (_key, batch: JobBatchValue) => batch.jobKeys.forEach((key, i) => save(key, JobStatus.ACTIVATED, batch.jobs[i]!)),
    },
  };
}
