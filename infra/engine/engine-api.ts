/**
 * The embedded engine as its adapters (gRPC gateway, REST API, testing kit) see it.
 *
 * Keys are strings at this boundary: Zeebe keys are int64 and clients exchange them as strings
 * or longs. Every method resolves only after the command it issued is durable, and rejects with
 * a {@link CommandRejectedError} when the engine rejects the command.
 */
import type { Clock } from './core/clock.js';
import type { BatchOperationType } from './state/engine-state.js';

export type Variables = Record<string, unknown>;

export interface DeployedProcess {
  bpmnProcessId: string;
  version: number;
  processDefinitionKey: string;
  resourceName: string;
  tenantId: string;
}

/** A decision of a deployed DMN file (Zeebe's DecisionMetadata). */
export interface DeployedDecision {
  decisionId: string;
  decisionName: string;
  version: number;
  decisionKey: string;
  decisionRequirementsId: string;
  decisionRequirementsKey: string;
  tenantId: string;
}

/** A deployed DMN file: its decision requirements graph (Zeebe's DecisionRequirementsMetadata). */
export interface DeployedDecisionRequirements {
  decisionRequirementsId: string;
  decisionRequirementsName: string;
  version: number;
  decisionRequirementsKey: string;
  resourceName: string;
  tenantId: string;
}

export interface DeploymentResult {
  deploymentKey: string;
  processes: DeployedProcess[];
  decisions: DeployedDecision[];
  decisionRequirements: DeployedDecisionRequirements[];
  tenantId: string;
}

export interface CreateProcessInstanceRequest {
  /** Takes precedence over bpmnProcessId when given. */
  processDefinitionKey?: string;
  bpmnProcessId?: string;
  /** -1 or absent: latest version. */
  version?: number;
  variables?: Variables;
  /** Element ids to start at instead of the none start event. */
  startInstructions?: string[];
}

export interface CreatedProcessInstance {
  processDefinitionKey: string;
  bpmnProcessId: string;
  version: number;
  processInstanceKey: string;
  tenantId: string;
}

export interface ProcessInstanceResult extends CreatedProcessInstance {
  variables: Variables;
}

export interface CreateWithResultOptions {
  /** How long to wait for completion; the promise rejects with a DEADLINE_EXCEEDED rejection. */
  requestTimeoutMs: number;
  /** Only these variables in the result; all when empty. */
  fetchVariables?: string[];
}

export interface JobActivationRequest {
  type: string;
  worker: string;
  /** How long the activated job is reserved for this worker. */
  timeoutMs: number;
  maxJobsToActivate: number;
  /** Only these variables on each job; all visible when empty. */
  fetchVariables?: string[];
}

/**
 * Zeebe's job push: as jobs of a type become activatable, the engine asks for the activations of
 * the job streams open for that type and runs them in the same batch, so a job leaves with the
 * transaction that created it instead of waiting for an activation command in a later batch.
 */
export interface JobStreamer {
  /** One activation per group of streams that ask for the same thing; none when no stream is open. */
  activationsFor(jobType: string): JobPush[];
}

export interface JobPush {
  request: JobActivationRequest;
  /** Hands the activated jobs to the streams, after the batch committed. */
  deliver(jobs: ActivatedJob[]): void;
}

export interface ActivatedJob {
  key: string;
  type: string;
  processInstanceKey: string;
  bpmnProcessId: string;
  processDefinitionVersion: number;
  processDefinitionKey: string;
  elementId: string;
  elementInstanceKey: string;
  customHeaders: Record<string, string>;
  worker: string;
  retries: number;
  /** Epoch millis after which the job is activatable again. */
  deadline: number;
  variables: Variables;
  tenantId: string;
}

export interface FailJobRequest {
  jobKey: string;
  retries: number;
  errorMessage?: string;
  retryBackOffMs?: number;
  variables?: Variables;
}

export interface ThrowErrorRequest {
  jobKey: string;
  errorCode: string;
  errorMessage?: string;
  variables?: Variables;
}

export interface PublishMessageRequest {
  name: string;
  correlationKey: string;
  timeToLiveMs?: number;
  messageId?: string;
  variables?: Variables;
}

export interface SetVariablesRequest {
  elementInstanceKey: string;
  variables: Variables;
  local?: boolean;
}

/** Zeebe's ModifyProcessInstance: elements to activate (with variables) and element instances to terminate. */
export interface ModifyProcessInstanceRequest {
  processInstanceKey: string;
  activateInstructions?: {
    elementId: string;
    /** An active instance of one of the element's flow scopes to create it in; unset or -1 lets the engine find the flow scope's instance. */
    ancestorElementInstanceKey?: string;
    /** `scopeId` empty (or unset) for the process instance's own variables. */
    variableInstructions?: { variables: Variables; scopeId?: string }[];
  }[];
  terminateInstructions?: { elementInstanceKey: string }[];
}

export interface BroadcastSignalRequest {
  signalName: string;
  variables?: Variables;
}

/** Zeebe's EvaluateDecision: the latest version of a decision by id, or a decision by key. */
export interface EvaluateDecisionRequest {
  decisionId?: string;
  decisionKey?: string;
  variables?: Variables;
}

/** One decision evaluated on the way (required decisions first); values are JSON text. */
export interface EvaluatedDecisionReport {
  decisionKey: string;
  decisionId: string;
  decisionName: string;
  decisionVersion: number;
  decisionType: string;
  decisionOutput: string;
  decisionEvaluationInstanceKey: string;
  tenantId: string;
  evaluatedInputs: { inputId: string; inputName: string; inputValue: string }[];
  matchedRules: { ruleId: string; ruleIndex: number; evaluatedOutputs: { outputId: string; outputName: string; outputValue: string }[] }[];
}

/** The outcome of EvaluateDecision; a failed evaluation is an outcome too, with failedDecisionId and failureMessage set. */
export interface DecisionEvaluation {
  decisionEvaluationKey: string;
  decisionKey: string;
  decisionId: string;
  decisionName: string;
  decisionVersion: number;
  decisionRequirementsId: string;
  decisionRequirementsKey: string;
  /** JSON text of the result; `null` when the evaluation failed. */
  decisionOutput: string;
  evaluatedDecisions: EvaluatedDecisionReport[];
  failedDecisionId: string;
  failureMessage: string;
  tenantId: string;
}

/** Why the engine refused a command; the gRPC gateway maps these to status codes as Zeebe does. */
export const RejectionType = {
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  NOT_FOUND: 'NOT_FOUND',
  ALREADY_EXISTS: 'ALREADY_EXISTS',
  INVALID_STATE: 'INVALID_STATE',
  PROCESSING_ERROR: 'PROCESSING_ERROR',
  DEADLINE_EXCEEDED: 'DEADLINE_EXCEEDED',
} as const;
export type RejectionType = (typeof RejectionType)[keyof typeof RejectionType];

/** Thrown by every {@link EngineApi} method when the engine rejects the command. */
export class CommandRejectedError extends Error {
  override readonly name = 'CommandRejectedError';
  constructor(
    readonly rejectionType: RejectionType,
    readonly reason: string,
    readonly command?: { valueType: string; intent: string },
  ) {
    super(reason);
  }
}

export interface ClockControl {
  now(): number;
  /**
   * Freezes time at the given instant.
   * @throws CommandRejectedError (INVALID_ARGUMENT) for an instant before the epoch, as Zeebe rejects it.
   */
  pin(epochMilli: number): void;
  /** Moves time by the offset; a pinned clock stays pinned at the new instant. */
  add(offsetMilli: number): void;
  /** Back to system time. */
  reset(): void;
  readonly clock: Clock;
}

export interface BatchOperationRequest {
  batchOperationType: BatchOperationType;
  itemKeys: string[];
}

export interface CreatedBatchOperation {
  batchOperationKey: string;
  batchOperationType: BatchOperationType;
}

export interface EngineApi {
  deployResources(resources: { name: string; content: Buffer }[]): Promise<DeploymentResult>;
  createProcessInstance(request: CreateProcessInstanceRequest): Promise<CreatedProcessInstance>;
  createProcessInstanceWithResult(
    request: CreateProcessInstanceRequest,
    options: CreateWithResultOptions,
  ): Promise<ProcessInstanceResult>;
  cancelProcessInstance(processInstanceKey: string): Promise<void>;
  activateJobs(request: JobActivationRequest): Promise<ActivatedJob[]>;
  completeJob(jobKey: string, variables?: Variables): Promise<void>;
  failJob(request: FailJobRequest): Promise<void>;
  /** Makes an activated job that never reached its worker activatable again, retries untouched (Zeebe's job YIELD). */
  yieldJob(jobKey: string): Promise<void>;
  throwError(request: ThrowErrorRequest): Promise<void>;
  updateJobRetries(jobKey: string, retries: number): Promise<void>;
  updateJobTimeout(jobKey: string, timeoutMs: number): Promise<void>;
  publishMessage(request: PublishMessageRequest): Promise<{ messageKey: string }>;
  resolveIncident(incidentKey: string): Promise<void>;
  /**
   * Creates a batch operation over the given items (incident keys to resolve, or process instance
   * keys to cancel), which the engine then executes in chunks of its own.
   */
  createBatchOperation(request: BatchOperationRequest): Promise<CreatedBatchOperation>;
  setVariables(request: SetVariablesRequest): Promise<{ key: string }>;
  modifyProcessInstance(request: ModifyProcessInstanceRequest): Promise<void>;
  broadcastSignal(request: BroadcastSignalRequest): Promise<{ signalKey: string }>;
  deleteResource(resourceKey: string): Promise<void>;
  /** @throws CommandRejectedError NOT_FOUND for an unknown decision, INVALID_ARGUMENT when neither id nor key is given. */
  evaluateDecision(request: EvaluateDecisionRequest): Promise<DecisionEvaluation>;
  /** Called with a job type whenever jobs of it may have become activatable. Returns an unsubscribe. */
  onJobsAvailable(listener: (jobType: string) => void): () => void;
  /** Registers the job streams' activations to run with each batch (Zeebe's job push). Returns an unregister. */
  addJobStreamer(streamer: JobStreamer): () => void;
  readonly clock: ClockControl;
  close(): Promise<void>;
}
