/**
 * What happens when a subscribed event occurs (a message correlates, a timer fires, a signal is
 * broadcast, an error is thrown): the owner of the subscription decides, as in Zeebe's
 * BpmnEventSubscriptionBehavior. The event's variables travel as a PROCESS_EVENT trigger that the
 * activated or completed element picks up.
 */
import { ElementIntent, ValueType } from '../../../core/records.js';
import { ElementType, elementOf, type ExecutableElement } from '../../../model/executable-model.js';
import type { EngineState } from '../../../state/engine-state.js';
import type { ElementInstance } from '../../../state/element-instance-state.js';
import { EventIntent, type ProcessEventValue } from '../../appliers/event-appliers.js';
import type { Writers } from '../../writers.js';
import type { EventSubscriptionBehavior } from './event-subscription-behavior.js';
import type { StateTransitionBehavior } from './state-transition-behavior.js';

export class EventTriggerBehavior {
  constructor(
    private readonly state: EngineState,
    private readonly writers: Writers,
    private readonly subscriptions: EventSubscriptionBehavior,
    private readonly transitions: StateTransitionBehavior,
  ) {}

  /** Returns false when the owner can no longer react (ended, or already interrupted). */
  trigger(ownerKey: number, catchElementId: string, variables: Record<string, unknown>): boolean {
    const owner = this.state.elementInstances.get(ownerKey);
    if (!owner || owner.state !== ElementIntent.ELEMENT_ACTIVATED) return false;
    const model = this.state.model(owner.value.processDefinitionKey)!;
    const catchElement = elementOf(model, catchElementId);
    const ownerElement = elementOf(model, owner.value.elementId);
    const eventKey = this.state.nextKey();

    if (catchElement.elementType === ElementType.START_EVENT) {
      return this.triggerEventSubProcess(owner, elementOf(model, catchElement.flowScopeId!), catchElement, variables, eventKey);
    }
    if (catchElement.elementType === ElementType.BOUNDARY_EVENT) {
      if (!catchElement.interrupting) {
        const flowScope = this.state.elementInstances.get(owner.value.flowScopeKey)!;
        const key = this.transitions.activateChild(flowScope.key, flowScope.value, catchElement);
        this.store(key, owner, catchElement, variables, eventKey);
        return true;
      }
      this.subscriptions.unsubscribe(owner.key);
      this.store(owner.key, owner, catchElement, variables, eventKey);
      this.transitions.terminateElement(owner.key, owner.value);
      return true;
    }
    // The catch event or receive task itself, or an event-based gateway waiting for it.
    this.subscriptions.unsubscribe(owner.key);
    this.store(owner.key, owner, catchElement, variables, eventKey);
    this.transitions.completeElement({ key: owner.key, value: owner.value, element: ownerElement, model });
    return true;
  }

  private triggerEventSubProcess(scope: ElementInstance, eventSubProcess: ExecutableElement, start: ExecutableElement, variables: Record<string, unknown>, eventKey: number): boolean {
    if (!start.interrupting) {
      const key = this.transitions.activateChild(scope.key, scope.value, eventSubProcess);
      this.store(key, scope, start, variables, eventKey);
      return true;
    }
    if (scope.data.interruptingElementId) return false;
    const esps = new Set(elementOf(this.state.model(scope.value.processDefinitionKey)!, scope.value.elementId).eventSubProcessIds);
    const model = this.state.model(scope.value.processDefinitionKey)!;
    this.subscriptions.unsubscribe(scope.key, (id) => esps.has(elementOf(model, id).flowScopeId ?? ''));
    this.store(scope.key, scope, start, variables, eventKey, { interruptWith: eventSubProcess.id });
    const children = this.state.elementInstances.children(scope.key);
    for (const child of children) {
      if (child.state !== ElementIntent.ELEMENT_TERMINATING) this.transitions.terminateElement(child.key, child.value);
    }
    if (children.length === 0) this.activateInterruptingEventSubProcess(scope);
    return true;
  }

  /** Called once every child of an interrupted scope has terminated. */
  activateInterruptingEventSubProcess(scope: ElementInstance): void {
    const trigger = this.state.eventTrigger(scope.key);
    if (!trigger) return;
    const model = this.state.model(scope.value.processDefinitionKey)!;
    const eventSubProcess = elementOf(model, scope.data.interruptingElementId!);
    const key = this.transitions.activateChild(scope.key, scope.value, eventSubProcess);
    this.moveTrigger(scope, key);
  }

  /**
   * An element's own event: variables it takes when it completes, as a business rule task takes
   * its decision's result (Zeebe's BpmnDecisionBehavior triggers a process event for it).
   */
  triggerOwnEvent(context: { key: number; value: ElementInstance['value']; element: ExecutableElement }, variables: Record<string, unknown>): void {
    this.store(context.key, context, context.element, variables, this.state.nextKey());
  }

  /** Hands the trigger stored at the owner on to a newly activated element. */
  moveTrigger(owner: { key: number; value: ElementInstance['value'] }, toKey: number, trigger = this.state.eventTrigger(owner.key)): void {
    if (!trigger) return;
    this.writers.appendEvent(trigger.eventKey, ValueType.PROCESS_EVENT, EventIntent.TRIGGERED, this.eventValue(owner.key, owner, trigger.elementId, trigger.variables, trigger.eventKey));
    this.store(toKey, owner, { id: trigger.elementId } as ExecutableElement, trigger.variables, this.state.nextKey());
  }

  /** Takes the trigger stored for an element (its variables apply to it), if any. */
  consume(key: number, owner: ElementInstance | { key: number; value: ElementInstance['value'] }): Record<string, unknown> | undefined {
    const trigger = this.state.eventTrigger(key);
    if (!trigger) return undefined;
    this.writers.appendEvent(trigger.eventKey, ValueType.PROCESS_EVENT, EventIntent.TRIGGERED, this.eventValue(key, owner, trigger.elementId, trigger.variables, trigger.eventKey));
    return trigger.variables;
  }

  private store(scopeKey: number, owner: { value: ElementInstance['value'] }, element: ExecutableElement, variables: Record<string, unknown>, eventKey: number, meta?: Record<string, unknown>): void {
    this.writers.appendEvent(eventKey, ValueType.PROCESS_EVENT, EventIntent.TRIGGERING, this.eventValue(scopeKey, owner, element.id, variables, eventKey), meta);
  }

  private eventValue(scopeKey: number, owner: { value: ElementInstance['value'] }, elementId: string, variables: Record<string, unknown>, eventKey: number): ProcessEventValue {
    return { scopeKey, eventKey, elementId, variables, processInstanceKey: owner.value.processInstanceKey, processDefinitionKey: owner.value.processDefinitionKey };
  }
}
