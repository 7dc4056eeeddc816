/**
 * The embedded engine: the pure processing core around one SQLite store, with what a running
 * engine adds — command batching (a reply only after its batch is durable), a scheduler for due
 * timers, job deadlines and message expiry, and notifications for the gateway.
 */
import { EventEmitter } from 'node:events';
import pino, { type Logger } from 'pino';
import { ControllableClock } from './core/clock.js';
import { DEFAULT_TENANT, ValueType, type EngineRecord } from './core/records.js';
import {
  CommandRejectedError,
  RejectionType,
  type ActivatedJob,
  type BatchOperationRequest,
  type BroadcastSignalRequest,
  type ClockControl,
  type CreateProcessInstanceRequest,
  type CreateWithResultOptions,
  type CreatedBatchOperation,
  type CreatedProcessInstance,
  type DecisionEvaluation,
  type DeploymentResult,
  type EvaluateDecisionRequest,
  type EngineApi,
  type FailJobRequest,
  type JobActivationRequest,
  type JobPush,
  type JobStreamer,
  type ProcessInstanceResult,
  type PublishMessageRequest,
  type ModifyProcessInstanceRequest,
  type SetVariablesRequest,
  type ThrowErrorRequest,
  type Variables,
} from './engine-api.js';
import { parseBpmn } from './model/bpmn-parser.js';
import { prepareDeployment } from './model/deployment-resources.js';
import { parseDmn } from './dmn/dmn-parser.js';
import { DueWorkScheduler } from './due-work-scheduler.js';
import { EngineState, type BatchOperationType } from './state/engine-state.js';
import type { JobValue } from './state/job-state.js';
import { startWalCheckpointer, type WalCheckpointer } from './state/wal-checkpointer.js';
import type { Command, CommandResponse } from './processing/command.js';
import { EngineProcessor, type BatchResult } from './processing/engine-processor.js';
import { JobBatchIntent, JobIntent } from './processing/appliers/job-appliers.js';
import type { ModificationValue } from './processing/processors/modification-processor.js';
import { DecisionEvaluationIntent } from './processing/decision-behavior.js';
import { BatchOperationExecutionIntent, BatchOperationIntent } from './processing/processors/batch-operation-processor.js';

export interface EmbeddedEngineOptions {
  /** Where the SQLite file lives; in memory when undefined. */
  dataDir?: string;
  clock?: ControllableClock;
  logger?: Logger;
  /** Most client commands committed in one transaction. */
  maxBatchSize?: number;
  /**
   * Under load, how long commands gather after a batch before the next one is processed (2 ms
   * unless given; 0 processes each turn's commands at once). A batch that follows a quiet moment
   * starts at once, so the window only adds latency when the engine is busy, where it saves a
   * transaction and a job query per batch.
   */
  batchWindowMs?: number;
}

interface Pending {
  command: Command;
  resolve: (response: CommandResponse) => void;
  reject: (error: unknown) => void;
  /** For creation with result: told when the created instance completes. */
  resultWaiter?: ResultWaiter;
}

/** A batch's outcome with the job pushes that ran in it, to be delivered once it committed. */
interface ProcessedBatch extends BatchResult {
  pushes: JobPush[];
}

interface ResultWaiter {
  resolve: (variables: Variables) => void;
  reject: (error: unknown) => void;
}

/** A job as the JOB_BATCH ACTIVATE processor answers it. */
interface ActivatedJobValue {
  key: number;
  value: JobValue;
}

function jobBatchValue(request: JobActivationRequest) {
  return { type: request.type, worker: request.worker, timeout: request.timeoutMs, maxJobsToActivate: request.maxJobsToActivate, fetchVariables: request.fetchVariables ?? [] };
}

function toActivatedJobs(jobs: ActivatedJobValue[]): ActivatedJob[] {
  return jobs.map(({ key, value }) => ({
    key: String(key), type: value.type, processInstanceKey: String(value.processInstanceKey), bpmnProcessId: value.bpmnProcessId,
    processDefinitionVersion: value.processDefinitionVersion, processDefinitionKey: String(value.processDefinitionKey),
    elementId: value.elementId, elementInstanceKey: String(value.elementInstanceKey), customHeaders: value.customHeaders,
    worker: value.worker, retries: value.retries, deadline: value.deadline, variables: value.variables, tenantId: value.tenantId || DEFAULT_TENANT,
  }));
}

export async function openEmbeddedEngine(options: EmbeddedEngineOptions = {}): Promise<EmbeddedEngine> {
  const state = EngineState.open(options.dataDir);
  for (const definition of state.definitions()) {
    const parsed = await parseBpmn(definition.resourceName, definition.xml);
    const model = parsed.processes.find((p) => p.bpmnProcessId === definition.bpmnProcessId);
    if (model) state.registerModel(definition.key, model);
  }
  for (const { key, value } of state.decisions.allRequirements()) {
    const parsed = await parseDmn(value.resource);
    if (parsed.ok) state.decisions.registerGraph(key, parsed.drg);
  }
  const engine = new EmbeddedEngine(state, options);
  engine.scheduleDueWork();
  return engine;
}

export class EmbeddedEngine implements EngineApi {
  readonly clock: ClockControl;
  private readonly controllableClock: ControllableClock;
  private readonly processor: EngineProcessor;
  private readonly logger: Logger;
  private readonly events = new EventEmitter();
  private readonly resultWaiters = new Map<number, ResultWaiter>();
  private readonly jobStreamers = new Set<JobStreamer>();
  private pending: Pending[] = [];
  private flushScheduled = false;
  private lastFlushAt = Number.NEGATIVE_INFINITY;
  private readonly scheduler: DueWorkScheduler;
  private closed = false;
  /** Set as closing begins: what is pending is still processed, but batch operations wait for the next start. */
  private closing = false;
  private readonly maxBatchSize: number;
  private readonly batchWindowMs: number;
  private readonly checkpointer: WalCheckpointer | undefined;

  constructor(
    readonly state: EngineState,
    options: EmbeddedEngineOptions,
  ) {
    this.controllableClock = options.clock ?? new ControllableClock(Date.now);
    this.logger = (options.logger ?? pino({ level: 'silent' })).child({ component: 'engine' });
    this.processor = new EngineProcessor(state, this.controllableClock);
    this.maxBatchSize = options.maxBatchSize ?? 256;
    this.batchWindowMs = options.batchWindowMs ?? 2;
    this.events.setMaxListeners(0);
    this.scheduler = new DueWorkScheduler(state, this.controllableClock, (commands) => {
      for (let i = 0; i < commands.length; i += this.maxBatchSize) this.afterBatch(this.processBatch(commands.slice(i, i + this.maxBatchSize)));
    });
    if (options.dataDir !== undefined) {
      this.checkpointer = startWalCheckpointer([state.db], {
        onCheckpoint: (report) => this.logger.debug(report, 'WAL checkpointed'),
        onError: (error) => this.logger.error({ err: error }, 'WAL checkpointer failed; SQLite checkpoints in the commits again'),
      });
    }
    const clock = this.controllableClock;
    const changed = () => this.scheduler.rescan();
    this.clock = {
      clock,
      now: () => clock.now(),
      pin: (epochMilli) => {
        // Zeebe's ClockProcessor rejects a PIN before the epoch; so does every way in here.
        if (epochMilli < 0) {
          throw new CommandRejectedError(RejectionType.INVALID_ARGUMENT, `Expected pin time to be not negative but it was ${epochMilli}`, { valueType: 'CLOCK', intent: 'PIN' });
        }
        clock.pin(epochMilli);
        changed();
      },
      add: (offsetMilli) => { clock.add(offsetMilli); changed(); },
      reset: () => { clock.reset(); changed(); },
    };
  }

  // --- commands --------------------------------------------------------------------------------

  private submit(valueType: ValueType, intent: string, value: unknown, key = -1, resultWaiter?: ResultWaiter): Promise<CommandResponse> {
    if (this.closed) return Promise.reject(new CommandRejectedError(RejectionType.PROCESSING_ERROR, 'The engine is closed'));
    return new Promise((resolve, reject) => {
      this.pending.push({ command: { key, valueType, intent, value }, resolve, reject, ...(resultWaiter ? { resultWaiter } : {}) });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        const wait = this.lastFlushAt + this.batchWindowMs - performance.now();
        if (wait > 0) setTimeout(() => this.flush(), wait);
        else setImmediate(() => this.flush());
      }
    });
  }

  private async accepted<T>(valueType: ValueType, intent: string, value: unknown, key = -1, resultWaiter?: ResultWaiter): Promise<T> {
    const response = await this.submit(valueType, intent, value, key, resultWaiter);
    if (!response.accepted) throw new CommandRejectedError(response.rejectionType, response.reason, { valueType, intent });
    return response.value as T;
  }

  private flush(): void {
    this.flushScheduled = false;
    this.lastFlushAt = performance.now();
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.maxBatchSize);
      let result: ProcessedBatch;
      try {
        result = this.processBatch(batch.map((p) => p.command));
      } catch (error) {
        this.logger.error({ err: error, commands: batch.length }, 'batch failed and was rolled back');
        for (const p of batch) p.reject(new CommandRejectedError(RejectionType.PROCESSING_ERROR, `Failed to process the command: ${(error as Error).message}`));
        continue;
      }
      batch.forEach((p, i) => {
        const response = result.responses[i]!;
        if (p.resultWaiter && response.accepted) {
          // Registered before the batch's completions are handed out: the instance may have completed in it.
          this.resultWaiters.set(Number((response.value as CreatedProcessInstance).processInstanceKey), p.resultWaiter);
        }
        p.resolve(response);
      });
      this.afterBatch(result);
    }
  }

  /**
   * Processes commands in one transaction, and with them the job streams' activations for the job
   * types they made activatable, as Zeebe pushes a job to a stream while processing its creation.
   */
  private processBatch(commands: Command[]): ProcessedBatch {
    const pushes: JobPush[] = [];
    const result = this.processor.processBatch(commands, (jobTypes) => {
      for (const type of jobTypes) for (const streamer of this.jobStreamers) pushes.push(...streamer.activationsFor(type));
      return pushes.map((push) => ({ key: -1, valueType: ValueType.JOB_BATCH, intent: JobBatchIntent.ACTIVATE, value: jobBatchValue(push.request) }));
    });
    return { ...result, pushes };
  }

  /**
   * Hands pushed jobs to their streams, then tells the listeners which job types may have jobs
   * left: not a type whose every push came back with room to spare, since nothing of it is left.
   */
  private deliverPushes(result: ProcessedBatch): void {
    const drained = new Set<string>();
    const left = new Set<string>();
    result.pushes.forEach((push, i) => {
      const response = result.followUpResponses[i]!;
      const jobs = response.accepted ? toActivatedJobs(response.value as ActivatedJobValue[]) : [];
      const type = push.request.type;
      if (response.accepted && jobs.length < push.request.maxJobsToActivate) drained.add(type);
      else left.add(type);
      push.deliver(jobs);
    });
    for (const type of drained) if (!left.has(type)) result.jobTypesAvailable.delete(type);
  }

  private afterBatch(result: ProcessedBatch): void {
    for (const [key, variables] of result.completedInstances) this.resultWaiters.get(key)?.resolve(variables);
    for (const key of result.endedInstances) {
      const waiter = this.resultWaiters.get(key);
      if (waiter && !result.completedInstances.has(key)) {
        waiter.reject(new CommandRejectedError(RejectionType.PROCESSING_ERROR, `Expected to wait for the result of process instance '${key}', but it was terminated`));
      }
    }
    if (result.records.length) this.events.emit('records', result.records);
    this.deliverPushes(result);
    for (const type of result.jobTypesAvailable) this.events.emit('jobs', type);
    this.scheduler.considerRecords(result.records);
    for (const key of result.batchOperationsToContinue) this.executeBatchOperation(key);
  }

  /**
   * Starts the scheduler on what the store holds (due timers, job deadlines, message expiry) and
   * carries on with the batch operations that have items left.
   */
  scheduleDueWork(): void {
    this.scheduler.rescan();
    for (const { key } of this.state.batchOperations.where('1 = 1 ORDER BY key')) this.executeBatchOperation(key);
  }

  // --- EngineApi -------------------------------------------------------------------------------

  async deployResources(resources: { name: string; content: Buffer }[]): Promise<DeploymentResult> {
    const prepared = await prepareDeployment(resources);
    if (!prepared.ok) throw new CommandRejectedError(RejectionType.INVALID_ARGUMENT, prepared.reason);
    return this.accepted<DeploymentResult>(ValueType.DEPLOYMENT, 'CREATE', { resources: prepared.resources });
  }

  createProcessInstance(request: CreateProcessInstanceRequest): Promise<CreatedProcessInstance> {
    return this.accepted(ValueType.PROCESS_INSTANCE_CREATION, 'CREATE', this.creationValue(request));
  }

  private creationValue(request: CreateProcessInstanceRequest) {
    return {
      processDefinitionKey: Number(request.processDefinitionKey ?? 0), bpmnProcessId: request.bpmnProcessId ?? '',
      version: request.version ?? -1, variables: request.variables ?? {}, startInstructions: request.startInstructions ?? [],
    };
  }

  async createProcessInstanceWithResult(request: CreateProcessInstanceRequest, options: CreateWithResultOptions): Promise<ProcessInstanceResult> {
    let waiter: ResultWaiter | undefined;
    const result = new Promise<Variables>((resolve, reject) => { waiter = { resolve, reject }; });
    const instance = await this.accepted<CreatedProcessInstance>(ValueType.PROCESS_INSTANCE_CREATION, 'CREATE', this.creationValue(request), -1, waiter);
    const key = Number(instance.processInstanceKey);
    const timeout = new Promise<never>((_, reject) => {
      const timer = setTimeout(() => reject(new CommandRejectedError(RejectionType.DEADLINE_EXCEEDED, `Expected the process instance '${key}' to complete within ${options.requestTimeoutMs} ms, but it did not`)), options.requestTimeoutMs);
      timer.unref();
    });
    try {
      const variables = await Promise.race([result, timeout]);
      const fetch = options.fetchVariables ?? [];
      const selected = fetch.length ? Object.fromEntries(fetch.filter((n) => n in variables).map((n) => [n, variables[n]])) : variables;
      return { ...instance, variables: selected };
    } finally {
      this.resultWaiters.delete(key);
    }
  }

  async cancelProcessInstance(processInstanceKey: string): Promise<void> {
    await this.accepted(ValueType.PROCESS_INSTANCE, 'CANCEL', { processInstanceKey: Number(processInstanceKey) }, Number(processInstanceKey));
  }

  async activateJobs(request: JobActivationRequest): Promise<ActivatedJob[]> {
    return toActivatedJobs(await this.accepted<ActivatedJobValue[]>(ValueType.JOB_BATCH, JobBatchIntent.ACTIVATE, jobBatchValue(request)));
  }

  async completeJob(jobKey: string, variables: Variables = {}): Promise<void> {
    await this.accepted(ValueType.JOB, 'COMPLETE', { variables }, Number(jobKey));
  }

  async failJob(request: FailJobRequest): Promise<void> {
    await this.accepted(ValueType.JOB, 'FAIL', { retries: request.retries, errorMessage: request.errorMessage, retryBackoff: request.retryBackOffMs ?? 0, variables: request.variables }, Number(request.jobKey));
  }

  async yieldJob(jobKey: string): Promise<void> {
    await this.accepted(ValueType.JOB, JobIntent.YIELD, {}, Number(jobKey));
  }

  async throwError(request: ThrowErrorRequest): Promise<void> {
    await this.accepted(ValueType.JOB, JobIntent.THROW_ERROR, { errorCode: request.errorCode, errorMessage: request.errorMessage, variables: request.variables }, Number(request.jobKey));
  }

  async updateJobRetries(jobKey: string, retries: number): Promise<void> {
    await this.accepted(ValueType.JOB, JobIntent.UPDATE_RETRIES, { retries }, Number(jobKey));
  }

  async updateJobTimeout(jobKey: string, timeoutMs: number): Promise<void> {
    await this.accepted(ValueType.JOB, JobIntent.UPDATE_TIMEOUT, { timeout: timeoutMs }, Number(jobKey));
  }

  publishMessage(request: PublishMessageRequest): Promise<{ messageKey: string }> {
    return this.accepted(ValueType.MESSAGE, 'PUBLISH', {
      name: request.name, correlationKey: request.correlationKey, timeToLive: Math.max(request.timeToLiveMs ?? 0, 0),
      messageId: request.messageId ?? '', variables: request.variables ?? {}, tenantId: DEFAULT_TENANT,
    });
  }

  async resolveIncident(incidentKey: string): Promise<void> {
    await this.accepted(ValueType.INCIDENT, 'RESOLVE', {}, Number(incidentKey));
  }

  async createBatchOperation(request: BatchOperationRequest): Promise<CreatedBatchOperation> {
    const created = await this.accepted<{ batchOperationKey: number; batchOperationType: BatchOperationType }>(
      ValueType.BATCH_OPERATION_CREATION, BatchOperationIntent.CREATE, { batchOperationType: request.batchOperationType, itemKeys: request.itemKeys.map(Number) },
    );
    return { batchOperationKey: String(created.batchOperationKey), batchOperationType: created.batchOperationType };
  }

  /**
   * Submits the operation's next chunk after the event loop's next turn, so clients' commands that
   * arrived meanwhile are processed between two chunks instead of after the whole operation.
   */
  private executeBatchOperation(key: number): void {
    setImmediate(() => {
      if (this.closing) return;
      this.submit(ValueType.BATCH_OPERATION_EXECUTION, BatchOperationExecutionIntent.EXECUTE, {}, key).catch((error: unknown) => {
        this.logger.error({ err: error, batchOperationKey: key }, 'batch operation chunk failed; it is executed again when the engine restarts');
      });
    });
  }

  setVariables(request: SetVariablesRequest): Promise<{ key: string }> {
    return this.accepted(ValueType.VARIABLE_DOCUMENT, 'UPDATE', { elementInstanceKey: Number(request.elementInstanceKey), variables: request.variables, local: request.local ?? false });
  }

  async modifyProcessInstance(request: ModifyProcessInstanceRequest): Promise<void> {
    const value: ModificationValue = {
      processInstanceKey: Number(request.processInstanceKey),
      activateInstructions: (request.activateInstructions ?? []).map((instruction) => ({
        elementId: instruction.elementId,
        ancestorElementInstanceKey: Number(instruction.ancestorElementInstanceKey ?? -1),
        variableInstructions: (instruction.variableInstructions ?? []).map((variables) => ({ variables: variables.variables, scopeId: variables.scopeId ?? '' })),
      })),
      terminateInstructions: (request.terminateInstructions ?? []).map((instruction) => ({ elementInstanceKey: Number(instruction.elementInstanceKey) })),
    };
    await this.accepted(ValueType.PROCESS_INSTANCE_MODIFICATION, 'MODIFY', value, value.processInstanceKey);
  }

  broadcastSignal(request: BroadcastSignalRequest): Promise<{ signalKey: string }> {
    return this.accepted(ValueType.SIGNAL, 'BROADCAST', { signalName: request.signalName, variables: request.variables ?? {} });
  }

  async deleteResource(resourceKey: string): Promise<void> {
    await this.accepted(ValueType.RESOURCE_DELETION, 'DELETE', { resourceKey: Number(resourceKey) });
  }

  evaluateDecision(request: EvaluateDecisionRequest): Promise<DecisionEvaluation> {
    const value = { decisionId: request.decisionId ?? '', decisionKey: Number(request.decisionKey ?? -1), variables: request.variables ?? {} };
    return this.accepted(ValueType.DECISION_EVALUATION, DecisionEvaluationIntent.EVALUATE, value);
  }

  onJobsAvailable(listener: (jobType: string) => void): () => void {
    this.events.on('jobs', listener);
    return () => this.events.off('jobs', listener);
  }

  addJobStreamer(streamer: JobStreamer): () => void {
    this.jobStreamers.add(streamer);
    return () => this.jobStreamers.delete(streamer);
  }

  /** Every record appended, after its batch committed: for exporters, the ops API and tests. */
  onRecords(listener: (records: EngineRecord[]) => void): () => void {
    this.events.on('records', listener);
    return () => this.events.off('records', listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closing = true;
    if (this.pending.length) this.flush();
    this.closed = true;
    this.scheduler.close();
    for (const waiter of this.resultWaiters.values()) waiter.reject(new CommandRejectedError(RejectionType.PROCESSING_ERROR, 'The engine is closed'));
    await this.checkpointer?.stop();
    this.state.close();
  }
}
