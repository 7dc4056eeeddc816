/**
 * The engine's single-threaded processing: a batch of client commands runs in one transaction;
 * each command and every follow-up command it causes are processed before the next one.
 */
import type { Clock } from '../core/clock.js';
import { ValueType, type EngineRecord } from '../core/records.js';
import type { EngineState } from '../state/engine-state.js';
import { Appliers } from './appliers/applier-registry.js';
import { batchOperationAppliers } from './appliers/batch-operation-appliers.js';
import { decisionAppliers } from './appliers/decision-appliers.js';
import { eventAppliers, MessageStartEventSubscriptionIntent, MessageSubscriptionIntent } from './appliers/event-appliers.js';
import { JobBatchIntent, jobAppliers, JobIntent } from './appliers/job-appliers.js';
import { processInstanceAppliers } from './appliers/process-instance-appliers.js';
import { recordAppliers } from './appliers/record-appliers.js';
import { BpmnBehaviors } from './bpmn/bpmn-behaviors.js';
import { BpmnStreamProcessor } from './bpmn/bpmn-stream-processor.js';
import { processorFor } from './bpmn/processors/processor-registry.js';
import { calledProcessHooks } from './bpmn/processors/call-activity-processor.js';
import type { Command, CommandResponse } from './command.js';
import { BatchOperationExecutionIntent, BatchOperationIntent, BatchOperationProcessor } from './processors/batch-operation-processor.js';
import { CreationProcessor } from './processors/creation-processor.js';
import { DeploymentProcessor } from './processors/deployment-processor.js';
import { DecisionEvaluationProcessor } from './processors/decision-evaluation-processor.js';
import { DecisionEvaluationIntent } from './decision-behavior.js';
import { EventProcessors } from './processors/event-processors.js';
import { JobProcessors } from './processors/job-processors.js';
import { MessageProcessors } from './processors/message-processors.js';
import { ModificationProcessor } from './processors/modification-processor.js';
import { Writers } from './writers.js';

export interface BatchResult {
  responses: CommandResponse[];
  /** The responses to the commands `followUps` added at the end of the batch, in their order. */
  followUpResponses: CommandResponse[];
  records: EngineRecord[];
  jobTypesAvailable: Set<string>;
  completedInstances: Map<number, Record<string, unknown>>;
  endedInstances: Set<number>;
  batchOperationsToContinue: Set<number>;
}

type Handler = (command: Command) => void;

export class EngineProcessor {
  private readonly appliers: Appliers;

  constructor(
    private readonly state: EngineState,
    private readonly clock: Clock,
  ) {
    this.appliers = new Appliers([processInstanceAppliers, jobAppliers, eventAppliers, recordAppliers, decisionAppliers, batchOperationAppliers].map((f) => f(state)));
  }

  /**
   * Processes the commands in one transaction. `followUps` is asked, after the last of them, for
   * commands to run in the same transaction given the job types that became activatable (the job
   * streams' activations).
   */
  processBatch(commands: Command[], followUps?: (jobTypesAvailable: ReadonlySet<string>) => Command[]): BatchResult {
    const writers = new Writers(this.state, this.appliers, this.clock);
    const handlers = this.handlers(writers);
    const respond = (command: Command): CommandResponse => {
      writers.response = undefined;
      this.run(handlers, command, writers);
      return writers.response ?? { accepted: true as const, key: command.key, value: {} };
    };
    const [responses, followUpResponses] = this.state.transaction(() => {
      const responses = commands.map(respond);
      const more = followUps && writers.jobTypesAvailable.size > 0 ? followUps(writers.jobTypesAvailable) : [];
      return [responses, more.map(respond)] as const;
    });
    return {
      responses, followUpResponses, records: this.state.takeAppendedRecords(), jobTypesAvailable: writers.jobTypesAvailable,
      completedInstances: writers.completedInstances, endedInstances: writers.endedInstances,
      batchOperationsToContinue: writers.batchOperationsToContinue,
    };
  }

  private run(handlers: Map<string, Handler>, first: Command, writers: Writers): void {
    let command: Command | undefined = first;
    while (command) {
      const handler = handlers.get(`${command.valueType}:${command.intent}`) ?? handlers.get(`${command.valueType}:*`);
      if (!handler) throw new Error(`Expected a processor for ${command.valueType} ${command.intent}, but none is registered`);
      handler(command);
      command = writers.nextCommand();
    }
  }

  private handlers(writers: Writers): Map<string, Handler> {
    const b = new BpmnBehaviors(this.state, writers, this.clock, processorFor);
    b.callActivities = calledProcessHooks;
    const bpmn = new BpmnStreamProcessor(b);
    const deployments = new DeploymentProcessor(this.state, writers, this.clock);
    const creation = new CreationProcessor(b, deployments);
    const jobs = new JobProcessors(b);
    const messages = new MessageProcessors(b);
    const events = new EventProcessors(b, bpmn);
    const modifications = new ModificationProcessor(b);
    const decisions = new DecisionEvaluationProcessor(b.decisions, writers);
    let byCommand = new Map<string, Handler>();
    // A batch operation's item runs at once, nested in the EXECUTE command, so its outcome is known
    // there; the outer response is kept aside meanwhile.
    const batchOperations = new BatchOperationProcessor(this.state, writers, (command) => {
      const outer = writers.response;
      writers.response = undefined;
      this.run(byCommand, command, writers);
      const response = writers.response ?? { accepted: true as const, key: command.key, value: {} };
      writers.response = outer;
      return response;
    });
    const table: [ValueType, string, Handler][] = [
      [ValueType.PROCESS_INSTANCE, '*', (c) => bpmn.process(c)],
      [ValueType.DEPLOYMENT, 'CREATE', (c) => deployments.process(c)],
      [ValueType.PROCESS_INSTANCE_CREATION, 'CREATE', (c) => creation.create(c)],
      [ValueType.PROCESS_INSTANCE_MODIFICATION, 'MODIFY', (c) => modifications.modify(c)],
      [ValueType.RESOURCE_DELETION, 'DELETE', (c) => creation.deleteResource(c)],
      [ValueType.JOB_BATCH, JobBatchIntent.ACTIVATE, (c) => jobs.activateBatch(c)],
      [ValueType.JOB, 'COMPLETE', (c) => jobs.complete(c)],
      [ValueType.JOB, 'FAIL', (c) => jobs.fail(c)],
      [ValueType.JOB, JobIntent.THROW_ERROR, (c) => jobs.throwError(c)],
      [ValueType.JOB, JobIntent.UPDATE_RETRIES, (c) => jobs.updateRetries(c)],
      [ValueType.JOB, JobIntent.UPDATE_TIMEOUT, (c) => jobs.updateTimeout(c)],
      [ValueType.JOB, JobIntent.TIME_OUT, (c) => jobs.timeOut(c)],
      [ValueType.JOB, JobIntent.YIELD, (c) => jobs.yield(c)],
      [ValueType.JOB, JobIntent.RECUR_AFTER_BACKOFF, (c) => jobs.recurAfterBackoff(c)],
      [ValueType.MESSAGE, 'PUBLISH', (c) => messages.publish(c)],
      [ValueType.MESSAGE, 'EXPIRE', (c) => messages.expire(c)],
      [ValueType.MESSAGE_SUBSCRIPTION, MessageSubscriptionIntent.CORRELATE_BUFFERED, (c) => messages.correlateBuffered(c)],
      [ValueType.MESSAGE_START_EVENT_SUBSCRIPTION, MessageStartEventSubscriptionIntent.CORRELATE_BUFFERED, (c) => messages.correlateBufferedStart(c)],
      [ValueType.TIMER, 'TRIGGER', (c) => events.triggerTimer(c)],
      [ValueType.SIGNAL, 'BROADCAST', (c) => events.broadcastSignal(c)],
      [ValueType.INCIDENT, 'RESOLVE', (c) => events.resolveIncident(c)],
      [ValueType.VARIABLE_DOCUMENT, 'UPDATE', (c) => events.setVariables(c)],
      [ValueType.DECISION_EVALUATION, DecisionEvaluationIntent.EVALUATE, (c) => decisions.evaluate(c)],
      [ValueType.BATCH_OPERATION_CREATION, BatchOperationIntent.CREATE, (c) => batchOperations.create(c)],
      [ValueType.BATCH_OPERATION_EXECUTION, BatchOperationExecutionIntent.EXECUTE, (c) => batchOperations.execute(c)],
    ];
    byCommand = new Map(table.map(([valueType, intent, handler]) => [`${valueType}:${intent}`, handler]));
    return byCommand;
  }
}
