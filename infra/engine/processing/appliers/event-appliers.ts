import { ValueType } from '../../core/records.js';
import type {
  EngineState,
  EventTrigger,
  MessageStartSubscriptionValue,
  MessageSubscriptionValue,
  MessageValue,
  SignalSubscriptionValue,
  TimerValue,
} from '../../state/engine-state.js';
import type { ApplierTable } from './applier-registry.js';

export const EventIntent = {
  CREATED: 'CREATED',
  TRIGGER: 'TRIGGER',
  TRIGGERED: 'TRIGGERED',
  CANCELED: 'CANCELED',
  PUBLISH: 'PUBLISH',
  PUBLISHED: 'PUBLISHED',
  EXPIRED: 'EXPIRED',
  CORRELATED: 'CORRELATED',
  DELETED: 'DELETED',
  TRIGGERING: 'TRIGGERING',
  BROADCAST: 'BROADCAST',
  BROADCASTED: 'BROADCASTED',
} as const;

export const MessageSubscriptionIntent = {
  /** Engine-internal follow-up: correlate the oldest buffered message to a new subscription. */
  CORRELATE_BUFFERED: 'CORRELATE_BUFFERED',
} as const;

export const MessageStartEventSubscriptionIntent = {
  /** Engine-internal follow-up: an instance a message started ended; the next buffered message with its correlation key may start another. */
  CORRELATE_BUFFERED: 'CORRELATE_BUFFERED',
} as const;

export interface ProcessEventValue extends EventTrigger {
  scopeKey: number;
  processInstanceKey: number;
  processDefinitionKey: number;
}

export function eventAppliers(state: EngineState): ApplierTable {
  return {
    [ValueType.TIMER]: {
      [EventIntent.CREATED]: (key, value: TimerValue) => state.timers.put(key, value),
      [EventIntent.TRIGGERED]: (key) => state.timers.delete(key),
      [EventIntent.CANCELED]: (key) => state.timers.delete(key),
    },
    [ValueType.MESSAGE]: {
      [EventIntent.PUBLISHED]: (key, value: MessageValue) => {
        if (value.timeToLive > 0) state.messages.put(key, value);
      },
      [EventIntent.EXPIRED]: (key) => {
        state.messages.delete(key);
        state.forgetCorrelations(key);
      },
    },
    [ValueType.MESSAGE_SUBSCRIPTION]: {
      [EventIntent.CREATED]: (key, value: MessageSubscriptionValue) => state.messageSubscriptions.put(key, value),
      [EventIntent.CORRELATED]: (key, value: MessageSubscriptionValue & { messageKey: number }) => {
        if (value.messageKey > 0) state.markCorrelated(value.messageKey, value.bpmnProcessId);
        // A non-interrupting boundary subscription stays open for further messages.
        if (value.interrupting) state.messageSubscriptions.delete(key);
      },
      [EventIntent.DELETED]: (key) => state.messageSubscriptions.delete(key),
    },
    [ValueType.MESSAGE_START_EVENT_SUBSCRIPTION]: {
      [EventIntent.CREATED]: (_key, value: MessageStartSubscriptionValue) => state.putMessageStartSubscription(value),
      [EventIntent.DELETED]: (_key, value: MessageStartSubscriptionValue) => state.deleteMessageStartSubscriptions(value.processDefinitionKey),
      [EventIntent.CORRELATED]: (_key, value: MessageStartSubscriptionValue & { messageKey: number; correlationKey: string; processInstanceKey: number }) => {
        if (value.messageKey > 0) state.markCorrelated(value.messageKey, value.bpmnProcessId);
        if (value.correlationKey) state.putMessageStartInstance(value.bpmnProcessId, value.correlationKey, value.processInstanceKey);
      },
    },
    [ValueType.SIGNAL_SUBSCRIPTION]: {
      [EventIntent.CREATED]: (key, value: SignalSubscriptionValue) => state.signalSubscriptions.put(key, value),
      [EventIntent.DELETED]: (key) => state.signalSubscriptions.delete(key),
    },
    [ValueType.PROCESS_EVENT]: {
      [EventIntent.TRIGGERING]: (_key, value: ProcessEventValue, meta) => {
        state.putEventTrigger(value.scopeKey, value);
        const interruptWith = meta?.interruptWith as string | undefined;
        const scope = interruptWith ? state.elementInstances.get(value.scopeKey) : undefined;
        if (scope) {
          // Tokens still on their way in an interrupted scope are discarded with it.
          Object.assign(scope.data, { interruptingElementId: interruptWith, activeFlows: 0, joins: {} });
          state.elementInstances.save(scope);
        }
      },
      [EventIntent.TRIGGERED]: (_key, value: ProcessEventValue) => state.deleteEventTrigger(value.scopeKey, value.eventKey),
    },
  };
}
