/**
 * Runs one job type: validates the job's variables, publishes the command (or event) with a publisher
 * confirm, and only then completes the job. Transient publish failures fail the job with a retry and a
 * backoff; a job that can never succeed fails with no retries left, which raises an incident.
 */
import { z } from 'zod';
import type { Logger } from 'pino';
import { InvalidMessageError, type Message, type Publisher } from '../infra/messaging/index.js';
import { deterministicMessageId } from './command-id.js';
import { InvalidJobError, JobFailureCode } from './errors.js';
import type { JobWorkerDefinition } from './job-worker-definition.js';
import { attemptsSchema } from './job-variables.js';
import { JobOutcome, type WorkerMetrics } from './worker-metrics.js';
import type { ActivatedJob, IInputVariables, JobActionAcknowledgement, ZeebeGrpcClient } from './zeebe-client.js';

export interface JobWorkerOptions {
  zeebe: ZeebeGrpcClient;
  publisher: Publisher;
  logger: Logger;
  /** Shown in Operate as the job's worker. */
  workerName?: string;
  /** How long the engine leaves an activated job with us before handing it to another worker. */
  jobTimeoutMs?: number;
  /** First retry backoff; doubled for each retry used, capped at `maxBackoffMs`. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** How often the worker checks whether it may ask for more jobs; a long poll waits for them in between. */
  pollIntervalMs?: number;
  /**
   * Jobs this worker handles at once; it asks the engine for more only as these finish. Bounded on
   * purpose: a job stream pushes every activatable job (@camunda8/sdk's stream worker has no
   * capacity), so when a clock jump makes 100,000 jobs due together, most time out before they are
   * handled and are pushed again, over and over.
   */
  capacity?: number;
  /** Counts handled jobs by outcome and times the handler. */
  metrics?: WorkerMetrics;
}

export interface RunningJobWorker {
  readonly jobType: string;
  close(): void;
}

/** The retries checkout.bpmn gives every task; the backoff grows with the retries already used. */
const modelRetries = 3;

/** Jobs in hand per job type and worker process unless configured. */
export const DEFAULT_WORKER_CAPACITY = 128;
/** How long one ActivateJobs call waits for jobs before the worker asks again. */
const LONG_POLL_MS = 30_000;

/**
 * Starts the SDK's polling worker for the definition's type: long polls that the engine answers as
 * soon as jobs are activatable, never more jobs in hand than `capacity`.
 */
export async function startJobWorker(definition: JobWorkerDefinition, options: JobWorkerOptions): Promise<RunningJobWorker> {
  const logger = options.logger.child({ component: 'job-worker', jobType: definition.jobType });
  const fetchVariable = [...Object.keys(definition.variables.shape), ...(definition.attemptsVariable ? [definition.attemptsVariable] : [])];
  const capacity = options.capacity ?? DEFAULT_WORKER_CAPACITY;
  const worker = options.zeebe.createWorker<IInputVariables>({
    taskType: definition.jobType,
    id: options.workerName ?? `orderflow-${definition.jobType}`,
    timeout: options.jobTimeoutMs ?? 30_000,
    maxJobsToActivate: capacity,
    longPoll: LONG_POLL_MS,
    pollInterval: options.pollIntervalMs ?? 20,
    fetchVariable: fetchVariable as (keyof IInputVariables)[],
    taskHandler: (job) => handleJob(definition, job, { ...options, logger }),
  });
  logger.info({ fetchVariable, capacity }, 'job worker started');
  return { jobType: definition.jobType, close: () => void worker.close() };
}

async function handleJob(definition: JobWorkerDefinition, job: ActivatedJob, options: JobWorkerOptions): Promise<JobActionAcknowledgement> {
  const started = process.hrtime.bigint();
  const handled = (outcome: JobOutcome) => options.metrics?.jobHandled(definition.jobType, outcome, started);
  const variables = job.variables as Record<string, unknown>;
  const jobLogger = options.logger.child({ orderId: variables.orderId, processInstanceKey: job.processInstanceKey, jobKey: job.key });
  let message: Message;
  try {
    message = buildMessage(definition, job);
  } catch (error) {
    if (!(error instanceof InvalidJobError)) throw error;
    jobLogger.error({ code: error.code, reason: error.message }, 'job cannot succeed, raising incident');
    handled(JobOutcome.INCIDENT);
    return job.fail({ errorMessage: error.message, retries: 0 });
  }
  const logger = jobLogger.child({ messageId: message.id, messageType: message.type });
  try {
    await options.publisher.publish(message);
  } catch (error) {
    return failPublish(job, error, logger, options, handled);
  }
  logger.info({}, 'message confirmed, completing job');
  handled(JobOutcome.COMPLETED);
  return job.complete();
}

function buildMessage(definition: JobWorkerDefinition, job: ActivatedJob): Message {
  const variables = job.variables as Record<string, unknown>;
  const parsed = definition.variables.safeParse(variables);
  if (!parsed.success) {
    throw new InvalidJobError(JobFailureCode.INVALID_VARIABLES, `Expected valid variables for job type ${definition.jobType}, but ${summarize(parsed.error)}`);
  }
  const attempts = attemptsSchema.safeParse(definition.attemptsVariable ? variables[definition.attemptsVariable] : undefined);
  if (!attempts.success) {
    throw new InvalidJobError(JobFailureCode.INVALID_VARIABLES, `Expected ${definition.attemptsVariable} to be a whole number of attempts, but ${summarize(attempts.error)}`);
  }
  // Every delivery of one job (after a timeout or a failed attempt) yields the same id; the step's next
  // command is a new job with a new key and counter, so it gets a new id.
  const messageId = deterministicMessageId(definition.jobType, job.key, attempts.data ?? 0);
  const headers = Object.fromEntries(Object.entries(job.customHeaders as Record<string, unknown>).map(([key, value]) => [key, String(value)]));
  try {
    return definition.toMessage(parsed.data, { messageId, headers });
  } catch (error) {
    if (error instanceof InvalidJobError) throw error;
    throw new InvalidJobError(JobFailureCode.INVALID_COMMAND, `Expected to build a message for job type ${definition.jobType}, but ${(error as Error).message}`, {}, { cause: error });
  }
}

function failPublish(job: ActivatedJob, error: unknown, logger: Logger, options: JobWorkerOptions, handled: (outcome: JobOutcome) => void): Promise<JobActionAcknowledgement> {
  const reason = error instanceof Error ? error.message : String(error);
  if (error instanceof InvalidMessageError) {
    // The message breaks the contract (schema, size, a card number): sending it again cannot help.
    logger.error({ code: error.code, reason }, 'message rejected by the contract, raising incident');
    handled(JobOutcome.INCIDENT);
    return job.fail({ errorMessage: `Expected a valid message, but ${reason}`, retries: 0 });
  }
  const retries = Math.max(job.retries - 1, 0);
  const retryBackOff = backoffMs(job.retries, options);
  logger.warn({ err: error, retries, retryBackOff }, 'publish failed, job will be retried');
  handled(retries > 0 ? JobOutcome.RETRIED : JobOutcome.INCIDENT);
  return job.fail({ errorMessage: `Expected the broker to confirm the message, but ${reason}`, retries, retryBackOff });
}

function backoffMs(retriesLeft: number, options: JobWorkerOptions): number {
  const used = Math.max(0, modelRetries - retriesLeft);
  return Math.min(options.maxBackoffMs ?? 30_000, (options.baseBackoffMs ?? 1_000) * 2 ** used);
}

function summarize(error: z.ZodError): string {
  // Paths and messages only: a variable's value could be card data and must not reach logs or incidents.
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}
