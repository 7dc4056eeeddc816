/** Commands on jobs: activation in batches, complete, fail, throw error, retries, timeouts. */
import { DEFAULT_TENANT, ValueType } from '../../core/records.js';
import { RejectionType } from '../../engine-api.js';
import { JobStatus, type Job, type JobBatchValue, type JobValue } from '../../state/job-state.js';
import { JobBatchIntent, JobIntent } from '../appliers/job-appliers.js';
import { ErrorType, type Command } from '../command.js';
import type { BpmnBehaviors } from '../bpmn/bpmn-behaviors.js';

export interface JobBatchRequest {
  type: string;
  worker: string;
  timeout: number;
  maxJobsToActivate: number;
  fetchVariables: string[];
}

export interface JobCommand {
  retries?: number;
  errorMessage?: string;
  errorCode?: string;
  retryBackoff?: number;
  timeout?: number;
  variables?: Record<string, unknown>;
}

const ACTIVE = new Set<string>([JobStatus.ACTIVATABLE, JobStatus.ACTIVATED]);

function isEmpty(variables: Record<string, unknown>): boolean {
  for (const _name in variables) return false;
  return true;
}

export class JobProcessors {
  constructor(private readonly b: BpmnBehaviors) {}

  activateBatch(command: Command<JobBatchRequest>): void {
    const request = command.value;
    const now = this.b.clock.now();
    const batch: JobBatchValue = {
      type: request.type, worker: request.worker, timeout: request.timeout, maxJobsToActivate: request.maxJobsToActivate,
      jobKeys: [], jobs: [], variables: request.fetchVariables, truncated: false, tenantIds: [DEFAULT_TENANT],
    };
    const activated: { key: number; value: JobValue }[] = [];
    for (const job of this.b.state.jobs.activatable(request.type, request.maxJobsToActivate)) {
      const value: JobValue = { ...job.value, worker: request.worker, deadline: now + request.timeout, timeout: request.timeout, variables: {} };
      batch.jobKeys.push(job.key);
      batch.jobs.push(value);
      const variables = this.b.variables.select(job.value.elementInstanceKey, request.fetchVariables);
      activated.push({ key: job.key, value: { ...value, variables } });
    }
    // Zeebe writes the batch even when it is empty; its key is the batch's own.
    this.b.writers.appendEvent(this.b.state.nextKey(), ValueType.JOB_BATCH, JobBatchIntent.ACTIVATED, batch);
    this.b.writers.respond(command.key, activated);
  }

  /** The job a command names, or a rejection in Zeebe's words. */
  private jobFor(command: Command, action: string, allowed: Set<string> = ACTIVE): Job | undefined {
    const job = this.b.state.jobs.get(command.key);
    if (!job) {
      this.b.writers.reject(command, RejectionType.NOT_FOUND, `Expected to ${action} job with key '${command.key}', but no such job was found`);
      return undefined;
    }
    if (!allowed.has(job.status)) {
      this.b.writers.reject(command, RejectionType.INVALID_STATE, `Expected to ${action} job with key '${command.key}', but it is in state '${job.status}'`);
      return undefined;
    }
    return job;
  }

  complete(command: Command<JobCommand>): void {
    const job = this.jobFor(command, 'complete');
    if (!job) return;
    const variables = command.value.variables ?? {};
    // Without variables the completed job's value is the activated one: the record log then stores it once.
    const value = isEmpty(variables) && isEmpty(job.value.variables) ? job.value : { ...job.value, variables };
    this.b.writers.appendEvent(job.key, ValueType.JOB, JobIntent.COMPLETED, value);
    this.b.writers.respond(job.key, {});
    const instance = this.b.instance(job.value.elementInstanceKey);
    if (!instance) return;
    const context = this.b.contextOf(instance);
    this.b.variables.mergeResult(context, command.value.variables ?? {});
    this.b.transitions.completeElement(context);
  }

  fail(command: Command<JobCommand>): void {
    const job = this.jobFor(command, 'fail');
    if (!job) return;
    const retries = command.value.retries ?? 0;
    const backoff = command.value.retryBackoff ?? 0;
    const value: JobValue = {
      ...job.value, retries, errorMessage: command.value.errorMessage ?? '', retryBackoff: backoff,
      recurringTime: backoff > 0 ? this.b.clock.now() + backoff : -1, deadline: -1, variables: command.value.variables ?? {},
    };
    this.b.writers.appendEvent(job.key, ValueType.JOB, JobIntent.FAILED, value);
    this.b.writers.respond(job.key, {});
    const instance = this.b.instance(job.value.elementInstanceKey);
    if (instance && command.value.variables) this.b.variables.setLocal(instance.key, command.value.variables, instance.value);
    if (retries > 0) {
      if (backoff <= 0) this.b.writers.jobTypesAvailable.add(job.value.type);
      return;
    }
    if (instance) {
      const message = command.value.errorMessage || 'No more retries left.';
      this.b.incidents.raise(this.b.contextOf(instance), { errorType: ErrorType.JOB_NO_RETRIES, message }, job.key);
    }
  }

  throwError(command: Command<JobCommand>): void {
    const job = this.jobFor(command, 'throw an error for');
    if (!job) return;
    const errorCode = command.value.errorCode ?? '';
    const errorMessage = command.value.errorMessage ?? '';
    this.b.writers.appendEvent(job.key, ValueType.JOB, JobIntent.ERROR_THROWN, { ...job.value, errorCode, errorMessage, variables: command.value.variables ?? {} });
    this.b.writers.respond(job.key, {});
    const instance = this.b.instance(job.value.elementInstanceKey);
    if (!instance) return;
    const found = this.b.errors.findCatch(instance, errorCode, true);
    if (found) {
      const catchElement = found.catchElement;
      const variables = { ...(command.value.variables ?? {}), ...(catchElement.outputMappings.length ? { errorCode, errorMessage } : {}) };
      this.b.triggers.trigger(found.ownerKey, catchElement.id, variables);
      return;
    }
    this.b.incidents.raise(this.b.contextOf(instance), {
      errorType: ErrorType.UNHANDLED_ERROR_EVENT,
      message: this.b.errors.uncaughtErrorMessage(instance, errorCode, errorMessage, true),
    }, job.key);
  }

  updateRetries(command: Command<JobCommand>): void {
    const job = this.jobFor(command, 'update retries of', new Set(Object.values(JobStatus)));
    if (!job) return;
    this.b.writers.appendEvent(job.key, ValueType.JOB, JobIntent.RETRIES_UPDATED, { ...job.value, retries: command.value.retries ?? 0 });
    this.b.writers.respond(job.key, {});
  }

  updateTimeout(command: Command<JobCommand>): void {
    const job = this.b.state.jobs.get(command.key);
    if (!job) {
      this.b.writers.reject(command, RejectionType.NOT_FOUND, `Expected to update job timeout with key '${command.key}', but no such job was found`);
      return;
    }
    if (job.status !== JobStatus.ACTIVATED) {
      this.b.writers.reject(command, RejectionType.INVALID_STATE, `Expected to update the timeout of job with key '${command.key}', but it is not active`);
      return;
    }
    const timeout = command.value.timeout ?? 0;
    this.b.writers.appendEvent(job.key, ValueType.JOB, JobIntent.TIMEOUT_UPDATED, { ...job.value, timeout, deadline: this.b.clock.now() + timeout });
    this.b.writers.respond(job.key, {});
  }

  /**
   * An activated job the gateway could not hand to its worker (the stream or long poll had gone) is
   * activatable again at once, retries untouched and no failure recorded, as Zeebe's YIELD does.
   */
  yield(command: Command): void {
    const job = this.b.state.jobs.get(command.key);
    if (!job || job.status !== JobStatus.ACTIVATED) {
      const reason = !job ? 'no such job was found' : job.status === JobStatus.ACTIVATABLE ? 'it must be activated first' : job.status === JobStatus.FAILED ? 'it is marked as failed' : `it is in state '${job.status}'`;
      this.b.writers.reject(command, RejectionType.INVALID_STATE, `Expected to yield activated job with key '${command.key}', but ${reason}`);
      return;
    }
    this.b.writers.appendEvent(job.key, ValueType.JOB, JobIntent.YIELDED, { ...job.value, deadline: -1, variables: {} });
    this.b.writers.respond(job.key, {});
    this.b.writers.jobTypesAvailable.add(job.value.type);
  }

  /** Engine-internal: an activated job whose deadline passed is activatable again. */
  timeOut(command: Command): void {
    const job = this.b.state.jobs.get(command.key);
    if (!job || job.status !== JobStatus.ACTIVATED || job.value.deadline > this.b.clock.now()) return;
    this.b.writers.appendEvent(job.key, ValueType.JOB, JobIntent.TIMED_OUT, job.value);
    this.b.writers.jobTypesAvailable.add(job.value.type);
  }

  /** Engine-internal: a failed job with retries left is activatable once its backoff elapsed. */
  recurAfterBackoff(command: Command): void {
    const job = this.b.state.jobs.get(command.key);
    if (!job || job.status !== JobStatus.FAILED || job.value.retries <= 0 || job.value.recurringTime > this.b.clock.now()) return;
    this.b.writers.appendEvent(job.key, ValueType.JOB, JobIntent.RECURRED_AFTER_BACKOFF, job.value);
    this.b.writers.jobTypesAvailable.add(job.value.type);
  }
}
