/** Timers firing, signals broadcast, incidents resolved, variables set, resources deleted. */
import { ElementIntent, ValueType } from '../../core/records.js';
import { RejectionType } from '../../engine-api.js';
import { nextOccurrence, type TimerSchedule } from '../../feel/timer-schedule.js';
import type { TimerValue } from '../../state/engine-state.js';
import { EventIntent } from '../appliers/event-appliers.js';
import type { Command } from '../command.js';
import type { BpmnBehaviors } from '../bpmn/bpmn-behaviors.js';
import type { BpmnStreamProcessor } from '../bpmn/bpmn-stream-processor.js';
import { broadcastSignal, type SignalValue } from '../bpmn/behaviors/signal-broadcast-behavior.js';
import { findDefinition, startProcessInstance } from './instance-creation.js';

export class EventProcessors {
  constructor(
    private readonly b: BpmnBehaviors,
    private readonly bpmn: BpmnStreamProcessor,
  ) {}

  /** Engine-internal: a timer is due. */
  triggerTimer(command: Command): void {
    const timer = this.b.state.timers.get(command.key);
    if (!timer || timer.dueDate > this.b.clock.now()) return;
    this.b.writers.appendEvent(command.key, ValueType.TIMER, EventIntent.TRIGGERED, timer);
    const next = nextOccurrence(timer, this.b.clock.now());
    if (timer.elementInstanceKey > 0) {
      const triggered = this.b.triggers.trigger(timer.elementInstanceKey, timer.targetElementId, {});
      const model = this.b.state.model(timer.processDefinitionKey);
      const interrupting = model?.elements.get(timer.targetElementId)?.interrupting ?? true;
      if (triggered && next && !interrupting) this.reschedule(timer, next);
      return;
    }
    const definition = findDefinition(this.b.state, { processDefinitionKey: timer.processDefinitionKey });
    if (definition) startProcessInstance(this.b.state, this.b.writers, definition, { trigger: { elementId: timer.targetElementId, variables: {} } });
    if (next) this.reschedule(timer, next);
  }

  private reschedule(timer: TimerValue, next: TimerSchedule): void {
    this.b.writers.appendEvent(this.b.state.nextKey(), ValueType.TIMER, EventIntent.CREATED, { ...timer, ...next });
  }

  broadcastSignal(command: Command<SignalValue>): void {
    const key = broadcastSignal(this.b, command.value);
    this.b.writers.respond(key, { signalKey: String(key) });
  }

  resolveIncident(command: Command): void {
    const incident = this.b.state.incidents.get(command.key);
    if (!incident) {
      this.b.writers.reject(command, RejectionType.NOT_FOUND, `Expected to resolve incident with key '${command.key}', but no such incident was found`);
      return;
    }
    const failedJob = incident.jobKey > 0 ? this.b.state.jobs.get(incident.jobKey) : undefined;
    if (failedJob && failedJob.value.retries <= 0) {
      // Resolving would leave the job failed with nothing to retry it: Zeebe asks for retries first.
      this.b.writers.reject(command, RejectionType.INVALID_STATE, `Expected to resolve incident with key '${command.key}', but job with key '${incident.jobKey}' has no retries left. Please update the job retries and retry resolving the incident`);
      return;
    }
    this.b.writers.appendEvent(command.key, ValueType.INCIDENT, 'RESOLVED', incident);
    this.b.writers.respond(command.key, {});
    if (incident.jobKey > 0) {
      const job = this.b.state.jobs.get(incident.jobKey);
      if (job && job.status === 'ACTIVATABLE') this.b.writers.jobTypesAvailable.add(job.value.type);
      return;
    }
    this.bpmn.retry(incident.elementInstanceKey);
  }

  setVariables(command: Command<{ elementInstanceKey: number; variables: Record<string, unknown>; local: boolean }>): void {
    const instance = this.b.instance(command.value.elementInstanceKey);
    if (!instance || instance.state === ElementIntent.ELEMENT_TERMINATING) {
      this.b.writers.reject(command, RejectionType.NOT_FOUND, `Expected to update variables for element with key '${command.value.elementInstanceKey}', but no such element was found`);
      return;
    }
    if (command.value.local) this.b.variables.setLocal(instance.key, command.value.variables, instance.value);
    else this.b.variables.merge(instance.key, command.value.variables, instance.value);
    const key = this.b.state.nextKey();
    this.b.writers.appendEvent(key, ValueType.VARIABLE_DOCUMENT, 'UPDATED', { scopeKey: instance.key, updateSemantics: command.value.local ? 'LOCAL' : 'PROPAGATE', variables: command.value.variables });
    this.b.writers.respond(key, { key: String(key) });
  }
}
