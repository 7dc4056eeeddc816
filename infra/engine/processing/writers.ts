/**
 * How processors change anything: append an event (applied to state at once), append a follow-up
 * command (processed later in the same batch), or answer the client's command.
 */
import type { Clock } from '../core/clock.js';
import { RecordType, type ValueType } from '../core/records.js';
import type { RejectionType } from '../engine-api.js';
import type { EngineState } from '../state/engine-state.js';
import type { Appliers } from './appliers/applier-registry.js';
import type { Command, CommandResponse } from './command.js';

export class Writers {
  private readonly queue: Command[] = [];
  response: CommandResponse | undefined;
  /** Job types that got activatable jobs in this batch, for the gateway's long polls and streams. */
  readonly jobTypesAvailable = new Set<string>();
  /** Process instances that completed in this batch, with their root variables. */
  readonly completedInstances = new Map<number, Record<string, unknown>>();
  readonly endedInstances = new Set<number>();
  /** Batch operations created or advanced in this batch that have items left to execute. */
  readonly batchOperationsToContinue = new Set<number>();

  constructor(
    private readonly state: EngineState,
    private readonly appliers: Appliers,
    private readonly clock: Clock,
  ) {}

  appendEvent<V>(key: number, valueType: ValueType, intent: string, value: V, meta?: Record<string, unknown>): void {
    this.appliers.apply(key, valueType, intent, value, meta);
    this.state.appendRecord({ key, recordType: RecordType.EVENT, valueType, intent, timestamp: this.clock.now(), value: value as Record<string, unknown> });
  }

  appendCommand<V>(key: number, valueType: ValueType, intent: string, value: V, meta?: Record<string, unknown>): void {
    this.queue.push({ key, valueType, intent, value, ...(meta ? { meta } : {}) });
  }

  /** Follow-up commands written and not processed yet, in processing order. */
  pendingCommands(): readonly Command[] {
    return this.queue;
  }

  nextCommand(): Command | undefined {
    return this.queue.shift();
  }

  respond(key: number, value: unknown): void {
    this.response = { accepted: true, key, value };
  }

  reject(command: Command, rejectionType: RejectionType, reason: string): void {
    this.response = { accepted: false, rejectionType, reason };
    this.state.appendRecord({
      key: command.key, recordType: RecordType.COMMAND_REJECTION, valueType: command.valueType, intent: command.intent,
      timestamp: this.clock.now(), value: command.value, rejectionType, rejectionReason: reason,
    });
  }
}
