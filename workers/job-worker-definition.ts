import type { z } from 'zod';
import type { Message } from '../infra/messaging/index.js';

/** What a worker knows about the job besides its variables. */
export interface JobContext {
  /** Deterministic per job attempt: use it as the id of the message the job sends. */
  messageId: string;
  /** The task's headers (`zeebe:taskHeaders`), e.g. `notification` on the customer.notify task. */
  headers: Readonly<Record<string, string>>;
}

/**
 * One job type of processes/checkout.bpmn: which variables it reads and which message it sends.
 * The runner (job-worker-runner.ts) does the rest: validate, publish with confirm, complete or fail.
 */
export interface JobWorkerDefinition<Variables extends z.ZodObject = z.ZodObject> {
  /** The BPMN task type (`zeebe:taskDefinition type`). */
  readonly jobType: string;
  /** The job variables the worker reads; only these are fetched. A job whose variables fail this schema raises an incident. */
  readonly variables: Variables;
  /** The step counter (e.g. `paymentAttempts`) that tells one command of the step from the next. */
  readonly attemptsVariable?: string;
  /**
   * Builds the message to publish from valid variables.
   * @throws InvalidJobError when the job can never succeed as it is (e.g. a header is missing).
   */
  toMessage(variables: z.infer<Variables>, job: JobContext): Message;
}

/** Keeps the variables' type flowing from the schema into `toMessage`. */
export function defineJobWorker<Variables extends z.ZodObject>(definition: JobWorkerDefinition<Variables>): JobWorkerDefinition<Variables> {
  return definition;
}
