/**
 * Zeebe's deployment checks of the events that share a scope (its ModelUtil): catch events an
 * activity or a scope waits on at once must be told apart, links must pair up, and only some
 * events may be non-interrupting.
 */
import { ElementType, EventType, type ExecutableElement, type ExecutableProcess } from './executable-model.js';

const children = (scope: ExecutableElement, p: ExecutableProcess): ExecutableElement[] =>
  scope.childIds.map((id) => p.elements.get(id)!);

function duplicated(values: string[]): string[] {
  return [...new Set(values.filter((value, i) => values.indexOf(value) !== i))];
}

const isScope = (e: ExecutableElement) =>
  e.elementType === ElementType.PROCESS || e.elementType === ElementType.SUB_PROCESS || e.elementType === ElementType.EVENT_SUB_PROCESS;

/** Messages and signals told apart by name, as one scope subscribes to each name once. */
function duplicatedNames(events: ExecutableElement[]): string[] {
  const messages = events.filter((e) => e.eventType === EventType.MESSAGE && e.message?.name.source).map((e) => e.message!.name.source);
  const signals = events.filter((e) => e.eventType === EventType.SIGNAL && e.signalName?.source).map((e) => e.signalName!.source);
  return [
    ...duplicated(messages).map((name) => `Multiple message event definitions with the same name '${name}' are not allowed.`),
    ...duplicated(signals).map((name) => `Multiple signal event definitions with the same name '${name}' are not allowed.`),
  ];
}

/** Error and escalation catch events told apart by code; one without a code catches them all. */
function duplicatedCodes(events: ExecutableElement[]): string[] {
  const errors: string[] = [];
  for (const [type, kind, codeOf] of [
    [EventType.ERROR, 'error', (e: ExecutableElement) => e.errorCode?.source],
    [EventType.ESCALATION, 'escalation', (e: ExecutableElement) => e.escalationCode?.source],
  ] as const) {
    const codes = events.filter((e) => e.eventType === type).map(codeOf);
    if (codes.filter((code) => !code).length > 1) {
      errors.push(`The same scope can not contain more than one ${kind} catch event without ${kind} code. An ${kind} catch event without ${kind} code catches all ${kind}s.`);
    }
    errors.push(...duplicated(codes.filter((code): code is string => !!code))
      .map((code) => `Multiple ${kind} catch events with the same ${kind} code '${code}' are not supported on the same scope.`));
  }
  return errors;
}

/** The boundary events of one activity. */
export function distinctBoundaryEvents(e: ExecutableElement, p: ExecutableProcess): string[] {
  const boundaries = e.boundaryEventIds.map((id) => p.elements.get(id)!);
  return [...duplicatedNames(boundaries), ...duplicatedCodes(boundaries)];
}

/** The start events of a scope's event sub-processes, and a process's own message and signal start events. */
export function distinctScopeStartEvents(e: ExecutableElement, p: ExecutableProcess): string[] {
  if (!isScope(e)) return [];
  const eventSubProcessStarts = children(e, p)
    .filter((child) => child.elementType === ElementType.EVENT_SUB_PROCESS)
    .flatMap((sub) => sub.startEventIds.map((id) => p.elements.get(id)!));
  // Start events sharing one message are refused on the message instead (Zeebe's MessageValidator), not counted twice here.
  const ownStarts = e.elementType === ElementType.PROCESS
    ? e.startEventIds.map((id) => p.elements.get(id)!).filter((start, i, starts) => !start.message?.id || starts.findIndex((s) => s.message?.id === start.message!.id) === i)
    : [];
  return [...duplicatedNames(eventSubProcessStarts), ...duplicatedCodes(eventSubProcessStarts), ...duplicatedNames(ownStarts)];
}

/** A link throw event continues at the one link catch event of its name in its scope. */
export function pairedLinks(e: ExecutableElement, p: ExecutableProcess): string[] {
  if (!isScope(e)) return [];
  const links = (type: ElementType) => children(e, p).filter((child) => child.elementType === type && child.eventType === EventType.LINK && child.linkName).map((child) => child.linkName!);
  const catches = links(ElementType.INTERMEDIATE_CATCH_EVENT);
  return [
    ...duplicated(catches).map((name) => `Multiple intermediate catch link event definitions with the same name '${name}' are not allowed.`),
    ...[...new Set(links(ElementType.INTERMEDIATE_THROW_EVENT))].filter((name) => !catches.includes(name))
      .map((name) => `Can't find an catch link event for the throw link event with the name '${name}'.`),
  ];
}

const NON_INTERRUPTING_EVENT_TYPES: readonly EventType[] = [EventType.MESSAGE, EventType.TIMER, EventType.SIGNAL, EventType.ESCALATION];

/** Boundary events and event sub-process start events: what may leave the activity running, and what may repeat. */
export function interruptingKind(e: ExecutableElement, p: ExecutableProcess): string[] {
  const isEventSubProcessStart = e.elementType === ElementType.START_EVENT && p.elements.get(e.flowScopeId ?? '')?.elementType === ElementType.EVENT_SUB_PROCESS;
  if (e.elementType !== ElementType.BOUNDARY_EVENT && !isEventSubProcessStart) return [];
  if (!e.interrupting && !NON_INTERRUPTING_EVENT_TYPES.includes(e.eventType)) return ['Non-Interrupting event of this type is not allowed'];
  return e.interrupting && e.timer?.kind === 'cycle' ? ['Interrupting timer event with time cycle is not allowed.'] : [];
}

/** Zeebe catches escalations only where a child scope can throw them. */
export function escalationBoundaryHost(e: ExecutableElement, p: ExecutableProcess): string[] {
  if (e.elementType !== ElementType.BOUNDARY_EVENT || e.eventType !== EventType.ESCALATION) return [];
  const host = p.elements.get(e.attachedToId ?? '')?.elementType;
  return host === ElementType.SUB_PROCESS || host === ElementType.CALL_ACTIVITY ? [] : ['An escalation boundary event should only be attached to a subprocess, or a call activity.'];
}

/** Only gateways choose between flows by their conditions. */
export function conditionalFlowSource(e: ExecutableElement, p: ExecutableProcess): string[] {
  if (e.elementType === ElementType.EXCLUSIVE_GATEWAY || e.elementType === ElementType.INCLUSIVE_GATEWAY || e.elementType === ElementType.SEQUENCE_FLOW) return [];
  return e.outgoing.some((id) => p.elements.get(id)?.condition) ? ['Conditional sequence flows are only supported at exclusive or inclusive gateway'] : [];
}
