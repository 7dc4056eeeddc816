/**
 * Opens and closes the subscriptions of catch events (message, timer, signal) for the element
 * instance that owns them: the catch event or receive task itself, the activity its boundary
 * events are attached to, an event-based gateway, or the scope of event sub-processes.
 * Names, correlation keys and timers are evaluated when the subscription opens, as in Zeebe.
 */
import { ValueType } from '../../../core/records.js';
import { ElementType, EventType, type ExecutableElement } from '../../../model/executable-model.js';
import { evaluateCorrelationKey, evaluateString, type VariableContext } from '../../../feel/feel-evaluator.js';
import { scheduleOf, type TimerSchedule } from '../../../feel/timer-schedule.js';
import type { Clock } from '../../../core/clock.js';
import type { EngineState, MessageSubscriptionValue, SignalSubscriptionValue, TimerValue } from '../../../state/engine-state.js';
import { EventIntent, MessageSubscriptionIntent } from '../../appliers/event-appliers.js';
import { ErrorType, type Failure } from '../../command.js';
import type { Writers } from '../../writers.js';
import type { BpmnContext } from '../bpmn-context.js';
import type { VariableBehavior } from './variable-behavior.js';

export type SubscriptionPlan =
  | { kind: 'message'; element: ExecutableElement; name: string; correlationKey: string }
  | { kind: 'timer'; element: ExecutableElement; schedule: TimerSchedule }
  | { kind: 'signal'; element: ExecutableElement; name: string };

/** A receive task has no event definition, yet waits for its message like a message catch event. */
function waitsForMessage(element: ExecutableElement): boolean {
  return element.eventType === EventType.MESSAGE || (element.elementType === ElementType.RECEIVE_TASK && element.message !== undefined);
}

export class EventSubscriptionBehavior {
  constructor(
    private readonly state: EngineState,
    private readonly writers: Writers,
    private readonly variables: VariableBehavior,
    private readonly clock: Clock,
  ) {}

  /** Evaluates everything first, so a failing expression opens no subscription at all. */
  subscribe(owner: BpmnContext, catchElements: ExecutableElement[]): Failure | { messages: MessageSubscriptionValue[] } {
    const subscribable = catchElements.filter((e) => waitsForMessage(e) || e.eventType === EventType.TIMER || e.eventType === EventType.SIGNAL);
    if (subscribable.length === 0) return { messages: [] };
    const context = this.variables.feelContext(owner.key);
    const plans: SubscriptionPlan[] = [];
    for (const element of subscribable) {
      const plan = this.plan(element, context);
      if ('errorType' in plan) return plan;
      plans.push(plan);
    }
    const messages: MessageSubscriptionValue[] = [];
    for (const plan of plans) {
      const message = this.open(owner, plan);
      if (message) messages.push(message);
    }
    return { messages };
  }

  plan(element: ExecutableElement, context: VariableContext): SubscriptionPlan | Failure {
    if (waitsForMessage(element)) {
      const name = evaluateString(element.message!.name, context);
      if (!name.ok) return { errorType: ErrorType.EXTRACT_VALUE_ERROR, message: name.failure };
      const key = evaluateCorrelationKey(element.message!.correlationKey!, context);
      if (!key.ok) return { errorType: ErrorType.EXTRACT_VALUE_ERROR, message: `Failed to extract the correlation key for '${element.message!.correlationKey!.source}': ${key.failure}` };
      return { kind: 'message', element, name: name.value, correlationKey: key.value };
    }
    if (element.eventType === EventType.SIGNAL) {
      const name = evaluateString(element.signalName!, context);
      if (!name.ok) return { errorType: ErrorType.EXTRACT_VALUE_ERROR, message: name.failure };
      return { kind: 'signal', element, name: name.value };
    }
    const schedule = this.timerSchedule(element, context);
    return 'errorType' in schedule ? schedule : { kind: 'timer', element, schedule };
  }

  timerSchedule(element: ExecutableElement, context: VariableContext): TimerSchedule | Failure {
    const schedule = scheduleOf(element.timer!, context, this.clock.now());
    return schedule.ok ? schedule.value : { errorType: ErrorType.EXTRACT_VALUE_ERROR, message: schedule.failure };
  }

  private open(owner: BpmnContext, plan: SubscriptionPlan): MessageSubscriptionValue | undefined {
    const base = { processInstanceKey: owner.value.processInstanceKey, processDefinitionKey: owner.value.processDefinitionKey, bpmnProcessId: owner.value.bpmnProcessId, tenantId: owner.value.tenantId };
    if (plan.kind === 'message') {
      const value: MessageSubscriptionValue = { ...base, elementInstanceKey: owner.key, messageName: plan.name, correlationKey: plan.correlationKey, elementId: plan.element.id, interrupting: plan.element.interrupting };
      const key = this.state.nextKey();
      this.writers.appendEvent(key, ValueType.MESSAGE_SUBSCRIPTION, EventIntent.CREATED, value);
      // Buffered messages are correlated once the owner is active, after this command is done.
      this.writers.appendCommand(key, ValueType.MESSAGE_SUBSCRIPTION, MessageSubscriptionIntent.CORRELATE_BUFFERED, value);
      return value;
    }
    if (plan.kind === 'signal') {
      const value: SignalSubscriptionValue = { signalName: plan.name, catchElementInstanceKey: owner.key, catchElementId: plan.element.id, processDefinitionKey: base.processDefinitionKey, bpmnProcessId: base.bpmnProcessId, tenantId: base.tenantId };
      this.writers.appendEvent(this.state.nextKey(), ValueType.SIGNAL_SUBSCRIPTION, EventIntent.CREATED, value);
      return undefined;
    }
    const value: TimerValue = { ...base, elementInstanceKey: owner.key, targetElementId: plan.element.id, ...plan.schedule };
    this.writers.appendEvent(this.state.nextKey(), ValueType.TIMER, EventIntent.CREATED, value);
    return undefined;
  }

  /** Closes the owner's subscriptions; with `only`, just those of these catch elements. */
  unsubscribe(ownerKey: number, only?: (catchElementId: string) => boolean): void {
    const keep = (id: string) => only !== undefined && !only(id);
    for (const sub of this.state.messageSubscriptions.where('element_instance_key = ?', ownerKey)) {
      if (!keep(sub.value.elementId)) this.writers.appendEvent(sub.key, ValueType.MESSAGE_SUBSCRIPTION, EventIntent.DELETED, sub.value);
    }
    for (const timer of this.state.timers.where('element_instance_key = ?', ownerKey)) {
      if (!keep(timer.value.targetElementId)) this.writers.appendEvent(timer.key, ValueType.TIMER, EventIntent.CANCELED, timer.value);
    }
    for (const sub of this.state.signalSubscriptions.where('element_instance_key = ?', ownerKey)) {
      if (!keep(sub.value.catchElementId)) this.writers.appendEvent(sub.key, ValueType.SIGNAL_SUBSCRIPTION, EventIntent.DELETED, sub.value);
    }
  }
}
