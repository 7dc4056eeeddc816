/**
 * Moves element instances through their lifecycle (Zeebe's BpmnStateTransitionBehavior): writes the
 * lifecycle events, takes sequence flows and writes the follow-up commands for the next elements.
 */
import { ElementIntent, ValueType, type ElementInstanceValue } from '../../../core/records.js';
import { ElementType, elementOf, type ExecutableElement } from '../../../model/executable-model.js';
import type { EngineState } from '../../../state/engine-state.js';
import type { Writers } from '../../writers.js';
import type { ActivationMeta } from '../../appliers/process-instance-appliers.js';
import type { BpmnContext } from '../bpmn-context.js';

export class StateTransitionBehavior {
  constructor(
    private readonly state: EngineState,
    private readonly writers: Writers,
  ) {}

  private event(context: BpmnContext, intent: string, meta?: ActivationMeta): void {
    this.writers.appendEvent(context.key, ValueType.PROCESS_INSTANCE, intent, context.value, meta as Record<string, unknown> | undefined);
  }

  /** `data` is engine data the element keeps from its activation on (e.g. a multi-instance input collection). */
  toActivated(context: BpmnContext, data?: ActivationMeta['data']): void {
    this.event(context, ElementIntent.ELEMENT_ACTIVATED, data ? { data } : undefined);
  }

  toCompleting(context: BpmnContext): void {
    this.event(context, ElementIntent.ELEMENT_COMPLETING);
  }

  toCompleted(context: BpmnContext): void {
    this.event(context, ElementIntent.ELEMENT_COMPLETED);
  }

  toTerminating(context: BpmnContext): void {
    this.event(context, ElementIntent.ELEMENT_TERMINATING);
  }

  toTerminated(context: BpmnContext): void {
    this.event(context, ElementIntent.ELEMENT_TERMINATED);
  }

  completeElement(context: BpmnContext): void {
    this.writers.appendCommand(context.key, ValueType.PROCESS_INSTANCE, ElementIntent.COMPLETE_ELEMENT, context.value);
  }

  terminateElement(key: number, value: ElementInstanceValue): void {
    this.writers.appendCommand(key, ValueType.PROCESS_INSTANCE, ElementIntent.TERMINATE_ELEMENT, value);
  }

  /**
   * The value of a new element instance of `element` inside the scope `flowScope`. A multi-instance
   * activity is entered through its body, which has the activity's id; the body's children are the
   * inner instances (Zeebe's MULTI_INSTANCE_BODY).
   */
  childValue(flowScopeKey: number, flowScopeValue: ElementInstanceValue, element: ExecutableElement): ElementInstanceValue {
    const isBody = element.multiInstance !== undefined && flowScopeValue.bpmnElementType !== ElementType.MULTI_INSTANCE_BODY;
    return {
      ...flowScopeValue,
      elementId: element.id,
      flowScopeKey,
      bpmnElementType: isBody ? ElementType.MULTI_INSTANCE_BODY : element.elementType,
      bpmnEventType: element.eventType,
    };
  }

  /** Writes ACTIVATE_ELEMENT for a new instance of `element` in the given scope; returns its key. */
  activateChild(flowScopeKey: number, flowScopeValue: ElementInstanceValue, element: ExecutableElement, meta?: ActivationMeta): number {
    const key = this.state.nextKey();
    const value = this.childValue(flowScopeKey, flowScopeValue, element);
    this.writers.appendCommand(key, ValueType.PROCESS_INSTANCE, ElementIntent.ACTIVATE_ELEMENT, value, meta as Record<string, unknown>);
    return key;
  }

  /** Takes every outgoing flow of a completed element (conditions are the gateways' concern). */
  takeOutgoingFlows(context: BpmnContext): void {
    for (const flowId of context.element.outgoing) this.takeFlow(context, flowId);
  }

  /**
   * Returns the key of the activated target, unless the target is a parallel join still waiting.
   * An inclusive join is asked to activate on every taken flow, as in Zeebe: whether it joins is
   * decided when that command is processed, once the tokens already on their way have arrived
   * (see InclusiveGatewayBehavior).
   */
  takeFlow(context: BpmnContext, flowId: string): number | undefined {
    const flow = elementOf(context.model, flowId);
    const target = elementOf(context.model, flow.targetId!);
    const flowValue: ElementInstanceValue = { ...context.value, elementId: flow.id, bpmnElementType: ElementType.SEQUENCE_FLOW, bpmnEventType: 'UNSPECIFIED' };
    const joins = isJoin(target);
    this.writers.appendEvent(this.state.nextKey(), ValueType.PROCESS_INSTANCE, ElementIntent.SEQUENCE_FLOW_TAKEN, flowValue, joins ? { joinAt: target.id } : undefined);
    const flowScope = this.state.elementInstances.get(context.value.flowScopeKey)!;
    if (!joins) return this.activateChild(context.value.flowScopeKey, flowScope.value, target, { consumedFlows: [flow.id] });
    if (target.elementType === ElementType.INCLUSIVE_GATEWAY) return this.activateChild(flowScope.key, flowScope.value, target, { inclusiveJoin: true });
    const taken = flowScope.data.joins?.[target.id] ?? [];
    return target.incoming.every((incoming) => taken.includes(incoming)) ? this.activateChild(flowScope.key, flowScope.value, target, { consumedFlows: joinedFlows(target, taken) }) : undefined;
  }
}

/** One token per incoming flow joins; surplus tokens on the same flow wait for the next join. */
export function joinedFlows(gateway: ExecutableElement, taken: string[]): string[] {
  return gateway.incoming.filter((incoming) => taken.includes(incoming));
}

function isJoin(element: ExecutableElement): boolean {
  return (element.elementType === ElementType.PARALLEL_GATEWAY || element.elementType === ElementType.INCLUSIVE_GATEWAY) && element.incoming.length > 1;
}
