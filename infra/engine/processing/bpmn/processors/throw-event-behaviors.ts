/**
 * What signal, escalation, link and compensation throw events (intermediate and end) do, as Zeebe's
 * docs describe them; used through the `throwBehaviors` table of event-processors.ts. Input mappings
 * were applied before (they become the signal's variables).
 */
import { ValueType } from '../../../core/records.js';
import { EventType, linkCatchEventOf } from '../../../model/executable-model.js';
import { evaluateString } from '../../../feel/feel-evaluator.js';
import { ErrorType } from '../../command.js';
import { broadcastSignal } from '../behaviors/signal-broadcast-behavior.js';
import type { BpmnElementProcessor } from '../bpmn-element-processor.js';
import type { ThrowBehavior } from './event-processors.js';
import { catchEventProcessor, passThroughProcessor } from './task-processors.js';

export const EscalationIntent = { ESCALATED: 'ESCALATED', NOT_ESCALATED: 'NOT_ESCALATED' } as const;

/** Broadcasts the signal with the event's local variables (its input mappings), then goes on. */
export const throwSignal: ThrowBehavior = (context, b) => {
  const name = evaluateString(context.element.signalName!, b.variables.feelContext(context.key));
  if (!name.ok) return { errorType: ErrorType.EXTRACT_VALUE_ERROR, message: name.failure };
  const variables = Object.fromEntries(b.state.variables.local(context.key).map((v) => [v.name, v.value]));
  b.transitions.toActivated(context);
  broadcastSignal(b, { signalName: name.value, variables });
  b.transitions.completeElement(context);
};

/**
 * Caught by the nearest escalation boundary event or event sub-process, like errors. Uncaught, or
 * caught by a non-interrupting event, the throw event goes on; an interrupting catch terminates it.
 */
export const throwEscalation: ThrowBehavior = (context, b) => {
  const evaluated = context.element.escalationCode ? evaluateString(context.element.escalationCode, b.variables.feelContext(context.key)) : { ok: true as const, value: '' };
  if (!evaluated.ok) return { errorType: ErrorType.EXTRACT_VALUE_ERROR, message: evaluated.failure };
  const escalationCode = evaluated.value;
  const found = b.errors.findCatch(b.instance(context.key)!, escalationCode, false, EventType.ESCALATION);
  b.transitions.toActivated(context);
  const value = { processInstanceKey: context.value.processInstanceKey, escalationCode, throwElementId: context.element.id, catchElementId: found?.catchElement.id ?? '' };
  b.writers.appendEvent(b.state.nextKey(), ValueType.ESCALATION, found ? EscalationIntent.ESCALATED : EscalationIntent.NOT_ESCALATED, value);
  if (found) b.triggers.trigger(found.ownerKey, found.catchElement.id, {});
  if (!found || !found.catchElement.interrupting) b.transitions.completeElement(context);
};

/** Continues at the link catch event of the same name in the same scope. */
export const throwLink: ThrowBehavior = (context, b) => {
  const target = linkCatchEventOf(context.model, context.element);
  if (!target) {
    return { errorType: ErrorType.UNKNOWN, message: `Expected a link catch event named '${context.element.linkName}' in the scope of '${context.element.id}', but there is none` };
  }
  const flowScope = b.instance(context.value.flowScopeKey)!;
  b.transitions.toActivated(context);
  // The catch event is activated first, so the scope never looks empty in between.
  b.transitions.activateChild(flowScope.key, flowScope.value, target);
  b.transitions.completeElement(context);
};

/** Invokes the compensation handlers of the scope's completed activities and waits for them. */
export const throwCompensation: ThrowBehavior = (context, b) => {
  b.transitions.toActivated(context);
  if (!b.compensation.throwCompensation(context)) b.transitions.completeElement(context);
};

/** Intermediate catch events: a link catch event is reached from its throw event and passes through. */
export const intermediateCatchEventProcessor: BpmnElementProcessor = {
  onActivate(context, b) {
    const processor = context.element.eventType === EventType.LINK ? passThroughProcessor : catchEventProcessor;
    return processor.onActivate(context, b);
  },
  onComplete: (context, b) => catchEventProcessor.onComplete(context, b),
  onTerminate: (context, b) => catchEventProcessor.onTerminate(context, b),
};
