/** Process, embedded sub-process and event sub-process: elements whose children run inside them. */
import { ElementIntent, ValueType } from '../../../core/records.js';
import { MessageStartEventSubscriptionIntent } from '../../appliers/event-appliers.js';
import { elementOf, EventType, type ExecutableElement } from '../../../model/executable-model.js';
import type { BpmnBehaviors } from '../bpmn-behaviors.js';
import type { BpmnContext } from '../bpmn-context.js';
import type { BpmnContainerProcessor } from '../bpmn-element-processor.js';
import type { Failure } from '../../command.js';

/** Subscribes the event sub-processes' start events, then starts the scope at `start`. */
function startScope(context: BpmnContext, b: BpmnBehaviors, start: ExecutableElement | undefined): Failure | undefined {
  const starts = context.element.eventSubProcessIds.flatMap((id) => elementOf(context.model, id).startEventIds.map((s) => elementOf(context.model, s)));
  const subscribed = b.subscriptions.subscribe(context, starts);
  if ('errorType' in subscribed) return subscribed;
  b.transitions.toActivated(context);
  const paths = b.instance(context.key)?.data.startPaths ?? [];
  if (paths.length > 0) {
    // Created on the way to inner elements (a modification, start instructions): no start event, the paths go on.
    b.activateAlongPaths(context.key, context.value, context.model, paths);
  } else if (start) {
    const key = b.transitions.activateChild(context.key, context.value, start);
    b.triggers.moveTrigger(context, key);
  }
  return undefined;
}

export function terminateChildren(context: BpmnContext, b: BpmnBehaviors): void {
  b.releaseHeld(context.key);
  const children = b.state.elementInstances.children(context.key);
  for (const child of children) {
    if (child.state !== ElementIntent.ELEMENT_TERMINATING) b.transitions.terminateElement(child.key, child.value);
  }
  if (children.length === 0) finishTermination(context, b);
}

export function finishTermination(context: BpmnContext, b: BpmnBehaviors): void {
  b.transitions.toTerminated(context);
  b.afterTerminated(context);
}

/** Behaviour shared by every container when one of its children ends. */
const childHandling = {
  onChildCompleted(scope: BpmnContext, _child: BpmnContext, b: BpmnBehaviors): void {
    if (b.canComplete(scope.key)) b.transitions.completeElement(scope);
  },
  onChildTerminated(scope: BpmnContext, child: BpmnContext, b: BpmnBehaviors): void {
    const instance = b.instance(scope.key)!;
    if (instance.state === ElementIntent.ELEMENT_TERMINATING) {
      if (instance.data.activeChildren === 0) finishTermination(scope, b);
      return;
    }
    if (instance.state !== ElementIntent.ELEMENT_ACTIVATED) return;
    // An interrupting boundary event waits for its activity to terminate, then takes over.
    const trigger = b.state.eventTrigger(child.key);
    if (trigger) {
      const boundary = elementOf(scope.model, trigger.elementId);
      const key = b.transitions.activateChild(scope.key, scope.value, boundary);
      b.triggers.moveTrigger({ key: child.key, value: scope.value }, key, trigger);
      return;
    }
    if (instance.data.interruptingElementId && instance.data.activeChildren === 0) {
      b.triggers.activateInterruptingEventSubProcess(instance);
      return;
    }
    if (b.canComplete(scope.key)) b.transitions.completeElement(scope);
  },
};

/**
 * When an instance a message started ends, a buffered message with its correlation key may start
 * the next one (Zeebe's message start events); read before the ended instance's state is gone.
 * Only a process with a message start event asks the store, so every other instance's end costs nothing.
 */
function correlateNextMessageStart(process: BpmnContext, b: BpmnBehaviors): () => void {
  const messageStarted = process.element.startEventIds.some((id) => elementOf(process.model, id).eventType === EventType.MESSAGE);
  const startedBy = messageStarted ? b.state.messageStartOf(process.key) : undefined;
  return () => {
    if (startedBy) b.writers.appendCommand(process.key, ValueType.MESSAGE_START_EVENT_SUBSCRIPTION, MessageStartEventSubscriptionIntent.CORRELATE_BUFFERED, startedBy);
  };
}

export const processProcessor: BpmnContainerProcessor = {
  onActivate(context, b) {
    const trigger = b.state.eventTrigger(context.key);
    const startId = trigger?.elementId ?? context.element.noneStartEventId;
    return startScope(context, b, startId ? elementOf(context.model, startId) : undefined);
  },
  onComplete(context, b) {
    b.subscriptions.unsubscribe(context.key);
    b.compensation.deleteAll(context.key);
    const variables = b.variables.visible(context.key);
    b.writers.completedInstances.set(context.key, variables);
    const correlateNext = correlateNextMessageStart(context, b);
    b.transitions.toCompleted(context);
    correlateNext();
    b.writers.endedInstances.add(context.key);
    b.afterCompleted(context);
    b.callActivities?.onCalledProcessCompleted(context, variables, b);
  },
  onTerminate(context, b) {
    terminateChildren(context, b);
  },
  ...childHandling,
  onChildTerminated(scope, child, b) {
    const correlateNext = correlateNextMessageStart(scope, b);
    childHandling.onChildTerminated(scope, child, b);
    if (!b.instance(scope.key)) {
      correlateNext();
      b.compensation.deleteAll(scope.key);
      b.writers.endedInstances.add(scope.key);
      b.callActivities?.onCalledProcessTerminated(scope, b);
    }
  },
};

export const subProcessProcessor: BpmnContainerProcessor = {
  onActivate(context, b) {
    const failure = b.variables.applyInputMappings(context) ?? b.subscribeBoundaryEvents(context);
    if (failure) return failure;
    return startScope(context, b, context.element.noneStartEventId ? elementOf(context.model, context.element.noneStartEventId) : undefined);
  },
  onComplete(context, b) {
    return b.completeAndContinue(context);
  },
  onTerminate(context, b) {
    terminateChildren(context, b);
  },
  ...childHandling,
};

export const eventSubProcessProcessor: BpmnContainerProcessor = {
  onActivate(context, b) {
    const failure = b.variables.applyInputMappings(context);
    if (failure) return failure;
    const trigger = b.state.eventTrigger(context.key);
    return startScope(context, b, trigger ? elementOf(context.model, trigger.elementId) : undefined);
  },
  onComplete(context, b) {
    return b.completeAndContinue(context);
  },
  onTerminate(context, b) {
    terminateChildren(context, b);
  },
  ...childHandling,
};
