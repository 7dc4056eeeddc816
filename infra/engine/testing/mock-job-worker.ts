/**
 * A stand-in for a job worker: it activates jobs of one type through the engine API, as soon as
 * the engine says jobs are available, and completes them, throws a BPMN error or fails them as
 * the test configured. No gRPC and no real worker code run.
 */
import type { ActivatedJob, EngineApi, Variables } from '../engine-api.js';

/** What the mock does with a job; `job.complete` and friends are what a real worker would call. */
export type MockJobHandler = (job: ActivatedJob, actions: MockJobActions) => Promise<void> | void;

export interface MockJobActions {
  complete(variables?: Variables): Promise<void>;
  throwBpmnError(errorCode: string, errorMessage?: string, variables?: Variables): Promise<void>;
  fail(errorMessage: string, retries?: number): Promise<void>;
}

/** How long an activated job stays reserved for the mock; long, so increaseTime rarely times it out. */
const MOCK_JOB_TIMEOUT_MS = 24 * 60 * 60_000;
const MOCK_WORKER_NAME = 'orderflow-mock-job-worker';

export class MockJobWorker {
  /** Every job the mock activated, in activation order. */
  readonly invocations: ActivatedJob[] = [];
  /** Errors thrown by a handler or rejected engine commands; the job is then left to time out. */
  readonly errors: unknown[] = [];
  private handler: MockJobHandler | undefined;
  private unsubscribe: (() => void) | undefined;
  private draining: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly engine: EngineApi,
    readonly jobType: string,
  ) {}

  /** Completes every job, with these variables merged into its scope. */
  thenComplete(variables: Variables = {}): this {
    return this.withHandler((_job, actions) => actions.complete(variables));
  }

  /** Throws a BPMN error from every job, to be caught by an error boundary or event sub-process. */
  thenThrowBpmnError(errorCode: string, errorMessage?: string, variables?: Variables): this {
    return this.withHandler((_job, actions) => actions.throwBpmnError(errorCode, errorMessage, variables));
  }

  /** Fails every job with these retries left (0 unless given, so an incident is raised at once). */
  thenFail(errorMessage: string, retries = 0): this {
    return this.withHandler((_job, actions) => actions.fail(errorMessage, retries));
  }

  /** Hands every job to `handler`; the mock starts activating jobs from now on. */
  withHandler(handler: MockJobHandler): this {
    this.handler = handler;
    if (!this.unsubscribe && !this.closed) {
      this.unsubscribe = this.engine.onJobsAvailable((type) => type === this.jobType && this.activate());
      this.activate();
    }
    return this;
  }

  get invocationCount(): number {
    return this.invocations.length;
  }

  /** Stops activating jobs and waits for the jobs in hand. */
  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe?.();
    await this.draining;
  }

  /** Serialised, so one activation round drains what is available before the next one starts. */
  private activate(): void {
    this.draining = this.draining.then(() => this.drain());
  }

  private async drain(): Promise<void> {
    while (!this.closed) {
      let jobs: ActivatedJob[];
      try {
        jobs = await this.engine.activateJobs({ type: this.jobType, worker: MOCK_WORKER_NAME, timeoutMs: MOCK_JOB_TIMEOUT_MS, maxJobsToActivate: 32 });
      } catch (error) {
        if (!this.closed) this.errors.push(error);
        return;
      }
      if (jobs.length === 0) return;
      for (const job of jobs) await this.handle(job);
    }
  }

  private async handle(job: ActivatedJob): Promise<void> {
    this.invocations.push(job);
    try {
      await this.handler?.(job, this.actionsFor(job));
    } catch (error) {
      this.errors.push(error);
    }
  }

  private actionsFor(job: ActivatedJob): MockJobActions {
    return {
      complete: (variables) => this.engine.completeJob(job.key, variables),
      throwBpmnError: (errorCode, errorMessage, variables) => this.engine.throwError({ jobKey: job.key, errorCode, errorMessage, variables }),
      fail: (errorMessage, retries = 0) => this.engine.failJob({ jobKey: job.key, retries, errorMessage }),
    };
  }
}
