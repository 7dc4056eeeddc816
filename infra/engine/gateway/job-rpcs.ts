/**
 * The two server-streaming RPCs of Zeebe's `Gateway` service: `ActivateJobs` (long polling, one
 * response then the end of the stream) and `StreamActivatedJobs` (one ActivatedJob per message for
 * as long as the client keeps the stream open). Both hand the waiting to the {@link JobDispatcher}.
 */
import type { ServerWritableStream } from '@grpc/grpc-js';
import type { ActivatedJob, JobActivationRequest } from '../engine-api.js';
import type * as msg from './gateway-messages.js';
import type { JobDispatcher, StreamActivation } from './job-dispatcher.js';
import {
  int64ToNumber,
  requireAtLeast,
  requireDefaultTenant,
  requireNonBlank,
} from './request-validation.js';

/**
 * Zeebe's gateway waits this long for jobs when ActivateJobs gives requestTimeout 0
 * (`zeebe.gateway.longPolling.timeout`, 10 s by default).
 */
export const DEFAULT_LONG_POLL_MS = 10_000;

/** The job as `ActivatedJob` in `zeebe.proto`: variables and custom headers as JSON documents. */
export function toActivatedJobMessage(job: ActivatedJob): msg.ActivatedJobMessage {
  return {
    key: job.key,
    type: job.type,
    processInstanceKey: job.processInstanceKey,
    bpmnProcessId: job.bpmnProcessId,
    processDefinitionVersion: job.processDefinitionVersion,
    processDefinitionKey: job.processDefinitionKey,
    elementId: job.elementId,
    elementInstanceKey: job.elementInstanceKey,
    customHeaders: JSON.stringify(job.customHeaders),
    worker: job.worker,
    retries: job.retries,
    deadline: String(job.deadline),
    variables: JSON.stringify(job.variables),
    tenantId: job.tenantId,
  };
}

/** @throws InvalidRequestError for the cases ActivateJobs documents in `zeebe.proto`. */
export function toJobActivation(request: msg.ActivateJobsRequest): JobActivationRequest {
  requireDefaultTenant(request.tenantIds, 'ActivateJobs');
  return {
    type: requireNonBlank(request.type, 'type'),
    worker: requireNonBlank(request.worker, 'worker'),
    timeoutMs: requireAtLeast(int64ToNumber(request.timeout, 'timeout'), 1, 'timeout'),
    maxJobsToActivate: requireAtLeast(request.maxJobsToActivate, 1, 'maxJobsToActivate'),
    fetchVariables: request.fetchVariable,
  };
}

/** @throws InvalidRequestError for the cases StreamActivatedJobs documents (worker may be blank). */
export function toStreamActivation(request: msg.StreamActivatedJobsRequest): StreamActivation {
  requireDefaultTenant(request.tenantIds, 'StreamActivatedJobs');
  return {
    type: requireNonBlank(request.type, 'type'),
    worker: request.worker,
    timeoutMs: requireAtLeast(int64ToNumber(request.timeout, 'timeout'), 1, 'timeout'),
    fetchVariables: request.fetchVariable,
  };
}

/** requestTimeout 0 means the gateway's default; negative disables long polling. */
function longPollMs(requestTimeout: msg.Int64): number {
  const value = int64ToNumber(requestTimeout, 'requestTimeout');
  return value === 0 ? DEFAULT_LONG_POLL_MS : value;
}

type ActivateJobsCall = ServerWritableStream<msg.ActivateJobsRequest, msg.ActivateJobsResponse>;
type StreamJobsCall = ServerWritableStream<msg.StreamActivatedJobsRequest, msg.ActivatedJobMessage>;

/** Answers one ActivateJobs call: at most one response, then the end of the stream. */
export async function activateJobs(call: ActivateJobsCall, dispatcher: JobDispatcher): Promise<void> {
  const activation = toJobActivation(call.request);
  const cancelled = new AbortController();
  call.once('cancelled', () => cancelled.abort());
  const jobs = await dispatcher.poll(activation, {
    longPollMs: longPollMs(call.request.requestTimeout),
    signal: cancelled.signal,
  });
  if (call.cancelled) return;
  if (jobs.length > 0) call.write({ jobs: jobs.map(toActivatedJobMessage) });
  call.end();
}

/** Keeps a StreamActivatedJobs call registered until the client cancels it. */
export function streamActivatedJobs(call: StreamJobsCall, dispatcher: JobDispatcher): void {
  const activation = toStreamActivation(call.request);
  const registration = dispatcher.openStream(activation, {
    push: (job) => {
      if (call.cancelled || call.writableEnded) return false;
      call.write(toActivatedJobMessage(job));
      return true;
    },
    // What the client has not read yet stays in the call's buffer; past its high-water mark the
    // stream waits for 'drain' instead of taking more jobs.
    ready: () => !call.writableNeedDrain,
    end: () => call.end(),
  });
  call.on('drain', () => registration.resume());
  call.once('cancelled', () => registration.close());
  call.once('close', () => registration.close());
  call.once('error', () => registration.close());
}
