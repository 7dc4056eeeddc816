import { ElementIntent, ValueType, type ElementInstanceValue } from '../../core/records.js';
import type { EngineState } from '../../state/engine-state.js';
import type { ElementInstance, ElementInstanceData } from '../../state/element-instance-state.js';
import type { ApplierTable } from './applier-registry.js';

/** Meta of an ELEMENT_ACTIVATING event: what the activation consumed in its flow scope. */
export interface ActivationMeta {
  /** Incoming sequence flows consumed (1 for a plain flow, all joined flows for a gateway). */
  consumedFlows?: string[];
  /** On the ACTIVATE_ELEMENT command of an inclusive join: the flows it consumes are decided when it is processed. */
  inclusiveJoin?: boolean;
  data?: Partial<ElementInstanceData>;
}

export function processInstanceAppliers(state: EngineState): ApplierTable {
  const instances = state.elementInstances;
  const flowScopeOf = (value: ElementInstanceValue): ElementInstance | undefined =>
    value.flowScopeKey > 0 ? instances.get(value.flowScopeKey) : undefined;

  const transition = (key: number, intent: string) => {
    const instance = instances.get(key);
    if (!instance) return;
    instance.state = intent;
    instances.save(instance);
  };

  const remove = (key: number, value: ElementInstanceValue, terminated = false) => {
    instances.delete(key);
    state.variables.removeAll(key);
    // A terminated activity keeps the trigger of the interrupting boundary event that ended it,
    // until its flow scope activates that boundary event and consumes the trigger.
    if (!terminated) state.deleteEventTriggers(key);
    if (value.bpmnElementType === 'PROCESS') state.deleteMessageStartInstance(key);
    const flowScope = flowScopeOf(value);
    if (flowScope) {
      flowScope.data.activeChildren -= 1;
      // A multi-instance body's completion condition sees how many inner instances were terminated (a modification's).
      if (terminated && flowScope.value.bpmnElementType === 'MULTI_INSTANCE_BODY') flowScope.data.terminatedChildren = (flowScope.data.terminatedChildren ?? 0) + 1;
      instances.save(flowScope);
    }
  };

  return {
    [ValueType.PROCESS_INSTANCE]: {
      [ElementIntent.ELEMENT_ACTIVATING]: (key: number, value: ElementInstanceValue, meta) => {
        const activation = (meta ?? {}) as ActivationMeta;
        instances.create({ key, state: ElementIntent.ELEMENT_ACTIVATING, value, data: { activeChildren: 0, activeFlows: 0, ...activation.data } });
        // A called process instance: its call activity learns its key (to terminate it).
        if (value.flowScopeKey <= 0 && value.parentElementInstanceKey > 0) updateElementData(state, value.parentElementInstanceKey, { calledChildInstanceKey: key });
        const flowScope = flowScopeOf(value);
        if (!flowScope) return;
        flowScope.data.activeChildren += 1;
        const consumed = activation.consumedFlows ?? [];
        flowScope.data.activeFlows -= consumed.length;
        const joined = flowScope.data.joins?.[value.elementId];
        if (joined && consumed.length) {
          for (const flow of consumed) joined.splice(joined.indexOf(flow), 1);
          if (joined.length === 0) delete flowScope.data.joins![value.elementId];
        }
        instances.save(flowScope);
      },
      [ElementIntent.ELEMENT_ACTIVATED]: (key, _value, meta) => {
        transition(key, ElementIntent.ELEMENT_ACTIVATED);
        const data = (meta as ActivationMeta | undefined)?.data;
        if (data) updateElementData(state, key, data);
      },
      [ElementIntent.ELEMENT_COMPLETING]: (key) => transition(key, ElementIntent.ELEMENT_COMPLETING),
      [ElementIntent.ELEMENT_TERMINATING]: (key) => transition(key, ElementIntent.ELEMENT_TERMINATING),
      [ElementIntent.ELEMENT_COMPLETED]: (key, value: ElementInstanceValue) => remove(key, value),
      [ElementIntent.ELEMENT_TERMINATED]: (key, value: ElementInstanceValue) => remove(key, value, true),
      [ElementIntent.SEQUENCE_FLOW_TAKEN]: (_key, value: ElementInstanceValue, meta) => {
        const flowScope = flowScopeOf(value);
        if (!flowScope) return;
        flowScope.data.activeFlows += 1;
        const joinAt = meta?.joinAt as string | undefined;
        if (joinAt) {
          flowScope.data.joins ??= {};
          (flowScope.data.joins[joinAt] ??= []).push(value.elementId);
        }
        instances.save(flowScope);
      },
    },
  };
}

/** Changes to an element instance's engine data that belong to another record's event. */
export function updateElementData(state: EngineState, key: number, change: Partial<ElementInstanceData>): void {
  const instance = state.elementInstances.get(key);
  if (!instance) return;
  Object.assign(instance.data, change);
  state.elementInstances.save(instance);
}
