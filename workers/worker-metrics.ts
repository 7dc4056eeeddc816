import { Counter, type Histogram, type Registry } from 'prom-client';
import { secondsHistogram, secondsSince } from '../lib/metrics/index.js';

/** What became of a job the worker handled. */
export const JobOutcome = {
  /** The message was confirmed and the job completed. */
  COMPLETED: 'completed',
  /** Publishing failed for now; the job was failed with a retry and a back-off. */
  RETRIED: 'retried',
  /** The job can never succeed as it is; it was failed with no retries, which raises an incident. */
  INCIDENT: 'incident',
} as const;
export type JobOutcome = (typeof JobOutcome)[keyof typeof JobOutcome];

/** Jobs handled per type and outcome, and how long the handler took (validation, publish with confirm). */
export class WorkerMetrics {
  private readonly handled: Counter<'type' | 'outcome'>;
  private readonly duration: Histogram<'type' | 'outcome'>;

  constructor(registry: Registry) {
    this.handled = new Counter({ name: 'orderflow_worker_jobs_handled_total', help: 'Jobs handled by the workers, by job type and outcome', labelNames: ['type', 'outcome'], registers: [registry] });
    this.duration = secondsHistogram(registry, { name: 'orderflow_worker_job_handler_duration_seconds', help: 'From job activation in the worker to the complete or fail call', labelNames: ['type', 'outcome'] });
  }

  /** `started` is a `process.hrtime.bigint()` reading taken when the handler began. */
  jobHandled(type: string, outcome: JobOutcome, started: bigint): void {
    this.handled.inc({ type, outcome });
    this.duration.observe({ type, outcome }, secondsSince(started));
  }
}
