/**
 * Batch operations, as Camunda 8.8 runs them: one command creates the operation over the items its
 * caller found in the search projection (Zeebe's item provider reads secondary storage too); the
 * engine then executes the items in chunks, one EXECUTE command per chunk, so an operation over
 * thousands of instances never holds up other work for long and a restart carries on where the
 * last committed chunk ended. An item fails when the engine refuses its command (an incident that
 * was resolved meanwhile, an instance that already ended); the operation completes once every item
 * was tried.
 */
import { ValueType } from '../../core/records.js';
import { RejectionType } from '../../engine-api.js';
import { BatchOperationType, type BatchOperationValue, type EngineState } from '../../state/engine-state.js';
import { JobIntent } from '../appliers/job-appliers.js';
import type { Command, CommandResponse } from '../command.js';
import type { Writers } from '../writers.js';

export const BatchOperationIntent = { CREATE: 'CREATE', CREATED: 'CREATED' } as const;
export const BatchOperationExecutionIntent = { EXECUTE: 'EXECUTE', EXECUTED: 'EXECUTED' } as const;
export const BatchOperationLifecycleIntent = { COMPLETED: 'COMPLETED' } as const;

/** Items executed by one EXECUTE command, in one engine batch. */
export const BATCH_OPERATION_CHUNK = 100;

export interface BatchOperationCreation {
  batchOperationType: BatchOperationType;
  itemKeys: number[];
}

/** How one item went, as the EXECUTED record tells it. */
export interface BatchOperationItemOutcome {
  itemKey: number;
  processInstanceKey: number;
  state: 'COMPLETED' | 'FAILED';
  errorMessage?: string;
}

export interface BatchOperationExecutedValue {
  batchOperationKey: number;
  batchOperationType: BatchOperationType;
  items: BatchOperationItemOutcome[];
}

export interface BatchOperationCompletedValue {
  batchOperationKey: number;
  batchOperationType: BatchOperationType;
}

const TYPES = new Set<string>(Object.values(BatchOperationType));

export class BatchOperationProcessor {
  constructor(
    private readonly state: EngineState,
    private readonly writers: Writers,
    /** Processes an item's command at once, with everything it causes, and answers as a client would hear. */
    private readonly runItemCommand: (command: Command) => CommandResponse,
  ) {}

  create(command: Command<BatchOperationCreation>): void {
    const { batchOperationType, itemKeys } = command.value;
    if (!TYPES.has(batchOperationType)) {
      this.writers.reject(command, RejectionType.INVALID_ARGUMENT, `Expected a batch operation of type ${[...TYPES].join(' or ')}, but it was '${String(batchOperationType)}'`);
      return;
    }
    const key = this.state.nextKey();
    const value: BatchOperationValue = { batchOperationKey: key, batchOperationType, itemKeys, executed: 0 };
    this.writers.appendEvent(key, ValueType.BATCH_OPERATION_CREATION, BatchOperationIntent.CREATED, value);
    if (itemKeys.length === 0) this.complete(value);
    else this.writers.batchOperationsToContinue.add(key);
    this.writers.respond(key, { batchOperationKey: key, batchOperationType });
  }

  execute(command: Command): void {
    const operation = this.state.batchOperations.get(command.key);
    if (!operation) {
      this.writers.reject(command, RejectionType.NOT_FOUND, `Expected to execute batch operation with key '${command.key}', but no such batch operation is being executed`);
      return;
    }
    const chunk = operation.itemKeys.slice(operation.executed, operation.executed + BATCH_OPERATION_CHUNK);
    const executed: BatchOperationExecutedValue = {
      batchOperationKey: operation.batchOperationKey,
      batchOperationType: operation.batchOperationType,
      items: chunk.map((itemKey) => this.executeItem(operation.batchOperationType, itemKey)),
    };
    this.writers.appendEvent(command.key, ValueType.BATCH_OPERATION_EXECUTION, BatchOperationExecutionIntent.EXECUTED, executed);
    if (operation.executed + chunk.length >= operation.itemKeys.length) this.complete(operation);
    else this.writers.batchOperationsToContinue.add(operation.batchOperationKey);
  }

  private executeItem(type: BatchOperationType, itemKey: number): BatchOperationItemOutcome {
    let processInstanceKey = -1;
    let response: CommandResponse;
    if (type === BatchOperationType.RESOLVE_INCIDENT) {
      const incident = this.state.incidents.get(itemKey);
      if (incident) processInstanceKey = incident.processInstanceKey;
      // Zeebe's ResolveIncidentBatchOperationExecutor: a job's incident needs a retry before resolving it helps.
      if (incident && incident.jobKey > 0) this.runItemCommand({ key: incident.jobKey, valueType: ValueType.JOB, intent: JobIntent.UPDATE_RETRIES, value: { retries: 1 } });
      response = this.runItemCommand({ key: itemKey, valueType: ValueType.INCIDENT, intent: 'RESOLVE', value: {} });
    } else {
      processInstanceKey = itemKey;
      response = this.runItemCommand({ key: itemKey, valueType: ValueType.PROCESS_INSTANCE, intent: 'CANCEL', value: { processInstanceKey: itemKey } });
    }
    return response.accepted
      ? { itemKey, processInstanceKey, state: 'COMPLETED' }
      : { itemKey, processInstanceKey, state: 'FAILED', errorMessage: response.reason };
  }

  private complete(operation: BatchOperationValue): void {
    const value: BatchOperationCompletedValue = { batchOperationKey: operation.batchOperationKey, batchOperationType: operation.batchOperationType };
    this.writers.appendEvent(operation.batchOperationKey, ValueType.BATCH_OPERATION_LIFECYCLE_MANAGEMENT, BatchOperationLifecycleIntent.COMPLETED, value);
  }
}
