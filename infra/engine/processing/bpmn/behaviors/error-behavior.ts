/**
 * Finds the catch event for a thrown BPMN error, nearest scope first (Zeebe's catch event analyzer):
 * the throwing activity's boundary events, then each enclosing scope's error event sub-processes
 * and boundary events, crossing into the calling process through call activities.
 */
import { ElementType, EventType, elementOf, type ExecutableElement } from '../../../model/executable-model.js';
import type { EngineState } from '../../../state/engine-state.js';
import type { ElementInstance } from '../../../state/element-instance-state.js';

export interface ErrorCatch {
  ownerKey: number;
  catchElement: ExecutableElement;
}

export class ErrorBehavior {
  constructor(private readonly state: EngineState) {}

  /**
   * `from` is the throwing element instance; its own boundary events count when `includeSelf`.
   * Escalations are caught the same way, by escalation code (`eventType` ESCALATION).
   */
  findCatch(from: ElementInstance, errorCode: string, includeSelf: boolean, eventType: EventType = EventType.ERROR): ErrorCatch | undefined {
    for (const { ownerKey, candidates } of this.catchScopes(from, includeSelf)) {
      const catchElement = pick(candidates, errorCode, eventType);
      if (catchElement) return { ownerKey, catchElement };
    }
    return undefined;
  }

  /**
   * The incident's message for an error nothing caught, as Zeebe's catch event analyzer words it:
   * the message only when there is one, and the codes of the error events passed on the way.
   */
  uncaughtErrorMessage(from: ElementInstance, errorCode: string, errorMessage: string, includeSelf: boolean): string {
    const available = [...this.catchScopes(from, includeSelf)]
      .flatMap(({ candidates }) => candidates.filter(isCatchOf(EventType.ERROR)).map((c) => c.errorCode?.source))
      .filter((code): code is string => code !== undefined);
    const withMessage = errorMessage ? ` with message '${errorMessage}'` : '';
    const events = available.length ? ` Available error events are [${available.join(', ')}]` : ' No error events are available in the scope.';
    return `Expected to throw an error event with the code '${errorCode}'${withMessage}, but it was not caught.${events}`;
  }

  /** The catch events that could take a throw from `from`, scope by scope, nearest first. */
  private *catchScopes(from: ElementInstance, includeSelf: boolean): Generator<{ ownerKey: number; candidates: ExecutableElement[] }> {
    let instance: ElementInstance | undefined = from;
    let checkBoundaries = includeSelf;
    while (instance) {
      const model = this.state.model(instance.value.processDefinitionKey)!;
      const element = elementOf(model, instance.value.elementId);
      // Event sub-processes are inside the scope, so they catch before its boundary events.
      // A multi-instance body shares its activity's element: the body has the boundary events, the inner instances the event sub-processes.
      const isBody = instance.value.bpmnElementType === ElementType.MULTI_INSTANCE_BODY;
      if (instance !== from && !isBody && !instance.data.interruptingElementId) {
        yield { ownerKey: instance.key, candidates: element.eventSubProcessIds.flatMap((id) => elementOf(model, id).startEventIds.map((s) => elementOf(model, s))) };
      }
      if (checkBoundaries && !this.isInnerInstance(instance)) {
        yield { ownerKey: instance.key, candidates: element.boundaryEventIds.map((id) => elementOf(model, id)) };
      }
      checkBoundaries = true;
      instance = this.parentOf(instance);
    }
  }

  private isInnerInstance(instance: ElementInstance): boolean {
    return instance.value.bpmnElementType !== ElementType.MULTI_INSTANCE_BODY &&
      this.state.elementInstances.get(instance.value.flowScopeKey)?.value.bpmnElementType === ElementType.MULTI_INSTANCE_BODY;
  }

  private parentOf(instance: ElementInstance): ElementInstance | undefined {
    if (instance.value.flowScopeKey > 0) return this.state.elementInstances.get(instance.value.flowScopeKey);
    const callActivityKey = instance.value.parentElementInstanceKey;
    return callActivityKey > 0 ? this.state.elementInstances.get(callActivityKey) : undefined;
  }
}

/** A catch event for the exact code wins over one that catches every error (or escalation). */
function pick(candidates: ExecutableElement[], code: string, eventType: EventType): ExecutableElement | undefined {
  const codeOf = (c: ExecutableElement) => (eventType === EventType.ERROR ? c.errorCode : c.escalationCode)?.source;
  const catches = candidates.filter(isCatchOf(eventType));
  return catches.find((c) => codeOf(c) === code) ?? catches.find((c) => codeOf(c) === undefined);
}

const isCatchOf = (eventType: EventType) => (c: ExecutableElement) =>
  c.eventType === eventType && (c.elementType === ElementType.BOUNDARY_EVENT || c.elementType === ElementType.START_EVENT);
