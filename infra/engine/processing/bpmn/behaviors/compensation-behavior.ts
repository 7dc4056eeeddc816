/**
 * Compensation as Zeebe 8.5+ does it (docs: "Compensation events"): an activity with a compensation
 * boundary event that completes leaves a compensation subscription in its flow scope; a compensation
 * throw event invokes the handlers of the completed activities of its scope, each once, and waits
 * until they completed. A completed sub-process (or multi-instance body) whose inner activities left
 * subscriptions leaves one without a handler, so they stay compensable from the outer scope.
 */
import { ValueType } from '../../../core/records.js';
import { ElementType, elementOf } from '../../../model/executable-model.js';
import type { CompensationSubscriptionValue, EngineState } from '../../../state/engine-state.js';
import type { Keyed } from '../../../state/keyed-table.js';
import type { Writers } from '../../writers.js';
import type { BpmnContext } from '../bpmn-context.js';
import type { StateTransitionBehavior } from './state-transition-behavior.js';

export const CompensationSubscriptionIntent = {
  CREATED: 'CREATED',
  TRIGGERED: 'TRIGGERED',
  COMPLETED: 'COMPLETED',
  DELETED: 'DELETED',
} as const;

type Subscription = Keyed<CompensationSubscriptionValue>;

export class CompensationBehavior {
  constructor(
    private readonly state: EngineState,
    private readonly writers: Writers,
    private readonly transitions: StateTransitionBehavior,
  ) {}

  /** Called as an element completes: subscribes its handler, or keeps its inner subscriptions reachable. */
  subscribe(context: BpmnContext): void {
    // A multi-instance body's inner instances subscribe one by one; the body only carries them.
    const handlerId = context.value.bpmnElementType === ElementType.MULTI_INSTANCE_BODY ? undefined : context.element.compensationHandlerId;
    if (!handlerId && !this.hasSubscriptionsIn(context.key)) return;
    const value: CompensationSubscriptionValue = {
      processInstanceKey: context.value.processInstanceKey, processDefinitionKey: context.value.processDefinitionKey,
      flowScopeKey: context.value.flowScopeKey, elementId: context.element.id, elementInstanceKey: context.key,
      compensationHandlerId: handlerId ?? '', tenantId: context.value.tenantId,
    };
    this.writers.appendEvent(this.state.nextKey(), ValueType.COMPENSATION_SUBSCRIPTION, CompensationSubscriptionIntent.CREATED, value);
  }

  /**
   * Invokes the handlers for a compensation throw event (with `activityRef`, only that activity's).
   * Returns false when there was nothing to compensate: the throw event does not wait then.
   */
  throwCompensation(thrower: BpmnContext): boolean {
    const flowScope = this.state.elementInstances.get(thrower.value.flowScopeKey)!;
    // Thrown in an event sub-process, compensation applies to the scope the sub-process interrupted.
    const compensatedScopeKey = flowScope.value.bpmnElementType === ElementType.EVENT_SUB_PROCESS ? flowScope.value.flowScopeKey : flowScope.key;
    const subscriptions = this.collect(compensatedScopeKey, thrower.element.compensationActivityRef);
    for (const subscription of subscriptions) {
      const handler = elementOf(thrower.model, subscription.value.compensationHandlerId);
      const handlerInstanceKey = this.transitions.activateChild(flowScope.key, flowScope.value, handler);
      const triggered: CompensationSubscriptionValue = { ...subscription.value, throwEventInstanceKey: thrower.key, handlerInstanceKey };
      this.writers.appendEvent(subscription.key, ValueType.COMPENSATION_SUBSCRIPTION, CompensationSubscriptionIntent.TRIGGERED, triggered);
    }
    return subscriptions.length > 0;
  }

  /** A handler completed: once every handler of its throw event is done, the throw event completes. */
  handlerCompleted(handler: BpmnContext): void {
    const triggered = this.state.compensationSubscriptions.where('process_instance_key = ?', handler.value.processInstanceKey)
      .filter((s) => s.value.throwEventInstanceKey !== undefined);
    const own = triggered.find((s) => s.value.handlerInstanceKey === handler.key);
    if (!own) return;
    this.writers.appendEvent(own.key, ValueType.COMPENSATION_SUBSCRIPTION, CompensationSubscriptionIntent.COMPLETED, own.value);
    const throwEventKey = own.value.throwEventInstanceKey!;
    if (triggered.some((s) => s.key !== own.key && s.value.throwEventInstanceKey === throwEventKey)) return;
    const thrower = this.state.elementInstances.get(throwEventKey);
    if (thrower) this.transitions.completeElement({ key: thrower.key, value: thrower.value, element: handler.model.elements.get(thrower.value.elementId)!, model: handler.model });
  }

  /** Subscriptions end with their process instance. */
  deleteAll(processInstanceKey: number): void {
    for (const subscription of this.state.compensationSubscriptions.where('process_instance_key = ?', processInstanceKey)) {
      this.writers.appendEvent(subscription.key, ValueType.COMPENSATION_SUBSCRIPTION, CompensationSubscriptionIntent.DELETED, subscription.value);
    }
  }

  private hasSubscriptionsIn(scopeKey: number): boolean {
    return this.state.compensationSubscriptions.scalar('SELECT EXISTS (SELECT 1 FROM compensation_subscriptions WHERE flow_scope_key = ?)', scopeKey) === 1;
  }

  private inScope(scopeKey: number): Subscription[] {
    return this.state.compensationSubscriptions.where('flow_scope_key = ? ORDER BY key', scopeKey);
  }

  /** The untriggered handler subscriptions of a scope, descending into completed sub-processes. */
  private collect(scopeKey: number, activityRef: string | undefined): Subscription[] {
    return this.inScope(scopeKey)
      .filter((s) => s.value.throwEventInstanceKey === undefined && (!activityRef || s.value.elementId === activityRef))
      .flatMap((s) => [...(s.value.compensationHandlerId ? [s] : []), ...this.collect(s.value.elementInstanceKey, undefined)]);
  }
}
