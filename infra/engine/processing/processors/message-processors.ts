/**
 * Message publication and correlation (Zeebe's message correlation rules): a message correlates
 * to waiting subscriptions and message start events at once, and is buffered for its time to live;
 * it correlates at most once per process (bpmnProcessId); buffered messages are consumed
 * first-in-first-out by subscriptions that open later.
 */
import { ValueType } from '../../core/records.js';
import { RejectionType } from '../../engine-api.js';
import type { Keyed } from '../../state/keyed-table.js';
import type { MessageStartCorrelation, MessageStartSubscriptionValue, MessageSubscriptionValue, MessageValue } from '../../state/engine-state.js';
import { EventIntent } from '../appliers/event-appliers.js';
import type { Command } from '../command.js';
import type { BpmnBehaviors } from '../bpmn/bpmn-behaviors.js';
import { findDefinition, startProcessInstance } from './instance-creation.js';

export class MessageProcessors {
  constructor(private readonly b: BpmnBehaviors) {}

  publish(command: Command<Omit<MessageValue, 'deadline'>>): void {
    const request = command.value;
    const now = this.b.clock.now();
    if (request.messageId) {
      const duplicate = this.b.state.messages.where('name = ? AND correlation_key = ? AND message_id = ?', request.name, request.correlationKey, request.messageId);
      if (duplicate.some((m) => m.value.deadline > now)) {
        this.b.writers.reject(command, RejectionType.ALREADY_EXISTS, `Expected to publish a new message with id '${request.messageId}', but a message with that id was already published`);
        return;
      }
    }
    const key = this.b.state.nextKey();
    const message: MessageValue = { ...request, deadline: now + request.timeToLive };
    this.b.writers.appendEvent(key, ValueType.MESSAGE, EventIntent.PUBLISHED, message);
    this.b.writers.respond(key, { messageKey: String(key) });
    const correlatedProcesses = new Set<string>();
    for (const sub of this.b.state.messageSubscriptions.where('message_name = ? AND correlation_key = ? ORDER BY key', request.name, request.correlationKey)) {
      if (correlatedProcesses.has(sub.value.bpmnProcessId)) continue;
      if (this.correlate(sub, key, message)) correlatedProcesses.add(sub.value.bpmnProcessId);
    }
    this.startInstances(key, message, correlatedProcesses);
  }

  /** Engine-internal, after a subscription opened: the oldest live buffered message not yet correlated to this process. */
  correlateBuffered(command: Command<MessageSubscriptionValue>): void {
    const sub = this.b.state.messageSubscriptions.get(command.key);
    if (!sub) return;
    const now = this.b.clock.now();
    for (const message of this.b.state.messages.where('name = ? AND correlation_key = ? ORDER BY key', sub.messageName, sub.correlationKey)) {
      if (message.value.deadline <= now || this.b.state.hasCorrelated(message.key, sub.bpmnProcessId)) continue;
      if (this.correlate({ key: command.key, value: sub }, message.key, message.value)) return;
    }
  }

  /**
   * Engine-internal, after an instance a message started has ended: the oldest live buffered
   * message with its correlation key, not yet correlated to the process, starts the next instance
   * (Zeebe's message start events: one active instance per correlation key).
   */
  correlateBufferedStart(command: Command<MessageStartCorrelation>): void {
    const { bpmnProcessId, correlationKey } = command.value;
    if (this.b.state.activeMessageStartInstance(bpmnProcessId, correlationKey) !== undefined) return;
    const latest = findDefinition(this.b.state, { bpmnProcessId });
    if (!latest) return;
    const now = this.b.clock.now();
    for (const start of this.b.state.messageStartSubscriptionsOf(latest.key)) {
      for (const message of this.b.state.messages.where('name = ? AND correlation_key = ? ORDER BY key', start.messageName, correlationKey)) {
        if (message.value.deadline <= now || this.b.state.hasCorrelated(message.key, bpmnProcessId)) continue;
        this.startInstance(start, message.key, message.value);
        return;
      }
    }
  }

  /** Engine-internal: a buffered message whose time to live passed. */
  expire(command: Command): void {
    const message = this.b.state.messages.get(command.key);
    if (message && message.deadline <= this.b.clock.now()) this.b.writers.appendEvent(command.key, ValueType.MESSAGE, EventIntent.EXPIRED, message);
  }

  private correlate(sub: Keyed<MessageSubscriptionValue>, messageKey: number, message: MessageValue): boolean {
    if (!this.b.triggers.trigger(sub.value.elementInstanceKey, sub.value.elementId, message.variables)) return false;
    this.b.writers.appendEvent(sub.key, ValueType.MESSAGE_SUBSCRIPTION, EventIntent.CORRELATED, { ...sub.value, messageKey, variables: message.variables });
    return true;
  }

  private startInstances(messageKey: number, message: MessageValue, correlatedProcesses: Set<string>): void {
    for (const start of this.b.state.messageStartSubscriptions(message.name)) {
      if (correlatedProcesses.has(start.bpmnProcessId)) continue;
      // Zeebe creates at most one active instance per process and correlation key from message start events.
      if (message.correlationKey && this.b.state.activeMessageStartInstance(start.bpmnProcessId, message.correlationKey) !== undefined) continue;
      if (this.startInstance(start, messageKey, message)) correlatedProcesses.add(start.bpmnProcessId);
    }
  }

  private startInstance(start: MessageStartSubscriptionValue, messageKey: number, message: MessageValue): boolean {
    const definition = findDefinition(this.b.state, { processDefinitionKey: start.processDefinitionKey });
    if (!definition) return false;
    const instance = startProcessInstance(this.b.state, this.b.writers, definition, { trigger: { elementId: start.startEventId, variables: message.variables } });
    this.b.writers.appendEvent(this.b.state.nextKey(), ValueType.MESSAGE_START_EVENT_SUBSCRIPTION, EventIntent.CORRELATED, {
      ...start, messageKey: message.timeToLive > 0 ? messageKey : -1, correlationKey: message.correlationKey, processInstanceKey: instance.processInstanceKey, variables: message.variables,
    });
    return true;
  }
}
