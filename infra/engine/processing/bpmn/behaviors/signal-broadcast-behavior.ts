/**
 * Broadcasting a signal (docs: "Signal events"), from a client or from a signal throw event: every
 * subscription with the signal's name is triggered; a signal start event starts an instance.
 */
import { ValueType } from '../../../core/records.js';
import type { SignalSubscriptionValue } from '../../../state/engine-state.js';
import { EventIntent } from '../../appliers/event-appliers.js';
import { findDefinition, startProcessInstance } from '../../processors/instance-creation.js';
import type { BpmnBehaviors } from '../bpmn-behaviors.js';

export interface SignalValue {
  signalName: string;
  variables: Record<string, unknown>;
}

/** Returns the signal's key. */
export function broadcastSignal(b: BpmnBehaviors, signal: SignalValue): number {
  const key = b.state.nextKey();
  b.writers.appendEvent(key, ValueType.SIGNAL, EventIntent.BROADCASTED, signal);
  for (const sub of b.state.signalSubscriptions.where('signal_name = ? ORDER BY key', signal.signalName)) {
    triggerSignal(b, sub.value, signal.variables);
  }
  return key;
}

function triggerSignal(b: BpmnBehaviors, sub: SignalSubscriptionValue, variables: Record<string, unknown>): void {
  if (sub.catchElementInstanceKey > 0) {
    b.triggers.trigger(sub.catchElementInstanceKey, sub.catchElementId, variables);
    return;
  }
  const definition = findDefinition(b.state, { processDefinitionKey: sub.processDefinitionKey });
  if (definition) startProcessInstance(b.state, b.writers, definition, { trigger: { elementId: sub.catchElementId, variables } });
}
