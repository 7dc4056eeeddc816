/**
 * Zeebe's deployment checks that look at the BPMN document itself rather than at one executable
 * element: ids, the messages start events share, repeated extension elements and event
 * definitions that reference nothing. Each returns the reasons a resource is refused.
 */
import type { ValidationError } from './bpmn-validator.js';
import { extensions, flowElementsOf, type ModdleElement } from './bpmn-transformer.js';

/** The reason Zeebe's XML schema validation gives for an id used twice (bpmn-moddle drops the second element). */
export function duplicatedIds(warnings: { error?: { message?: string } }[]): ValidationError[] {
  return warnings
    .map((w) => /^duplicate ID <(.*)>$/.exec(w.error?.message ?? '')?.[1])
    .filter((id): id is string => id !== undefined)
    .map((id) => ({ elementId: undefined, message: `cvc-id.2: There are multiple occurrences of ID value '${id}'.` }));
}

/** bpmn:serviceTask from bpmn:ServiceTask, as Zeebe names an element that has no id. */
const typeName = (moddle: ModdleElement) => moddle.$type.replace(/^\w+:(\w)/, (_, first: string) => first.toLowerCase());

/**
 * Zeebe names an element without an id by the closest ancestor that has one and the element's
 * type (its ValidationErrorFormatter): `process-id > serviceTask`.
 */
function identifierOf(moddle: ModdleElement, ancestorId: string | undefined): string {
  if (moddle.id) return moddle.id;
  return ancestorId ? `${ancestorId} > ${typeName(moddle)}` : typeName(moddle);
}

/** Every flow element needs an id: Zeebe refuses one without (its IdentifiableBpmnElementValidator). */
export function missingIds(moddleProcess: ModdleElement, definitionsId: string | undefined): ValidationError[] {
  const errors: ValidationError[] = [];
  const refuse = (moddle: ModdleElement, ancestorId: string | undefined) =>
    errors.push({ elementId: identifierOf(moddle, ancestorId), message: 'Element id must be present and not empty.' });
  if (!moddleProcess.id) refuse(moddleProcess, definitionsId);
  for (const { moddle, ancestorId } of flowElementsOf(moddleProcess, definitionsId)) if (!moddle.id) refuse(moddle, ancestorId);
  return errors;
}

/** A process is started by a message from one start event only (Zeebe's MessageValidator, reported on the message). */
export function messagesOfSeveralStartEvents(definitions: ModdleElement): ValidationError[] {
  const startEvents = ((definitions.rootElements ?? []) as ModdleElement[])
    .filter((e) => e.$type === 'bpmn:Process')
    .flatMap((p) => ((p.flowElements ?? []) as ModdleElement[]).filter((e) => e.$type === 'bpmn:StartEvent'));
  const referrers = new Map<ModdleElement, number>();
  for (const start of startEvents) {
    for (const definition of (start.eventDefinitions ?? []) as ModdleElement[]) {
      const message = definition.$type === 'bpmn:MessageEventDefinition' ? (definition.messageRef as ModdleElement | undefined) : undefined;
      if (message) referrers.set(message, (referrers.get(message) ?? 0) + 1);
    }
  }
  return [...referrers].filter(([, count]) => count > 1)
    .map(([message]) => ({ elementId: identifierOf(message, definitions.id), message: 'A message cannot be referred by more than one start event' }));
}

const EXACTLY_ONE = (name: string) => `Must have exactly one 'zeebe:${name}' extension element`;
const AT_MOST_ONE = (name: string) => `Must have exactly one 'zeebe:${name}' extension element when exists. Please check process definition XML and retain only one extension element.`;

/**
 * Extension elements an element may carry once (Zeebe's ExtensionElementDuplicationValidators);
 * a service or send task's task definition is required as well, which the element rules check.
 */
const SINGLE_EXTENSIONS: { types: readonly string[]; extension: string; name: string; reason: (name: string) => string }[] = [
  { types: ['bpmn:ServiceTask', 'bpmn:SendTask'], extension: 'zeebe:TaskDefinition', name: 'taskDefinition', reason: EXACTLY_ONE },
  { types: ['bpmn:ScriptTask', 'bpmn:BusinessRuleTask', 'bpmn:EndEvent', 'bpmn:IntermediateThrowEvent'], extension: 'zeebe:TaskDefinition', name: 'taskDefinition', reason: AT_MOST_ONE },
  { types: ['bpmn:ServiceTask', 'bpmn:SendTask', 'bpmn:ScriptTask', 'bpmn:BusinessRuleTask', 'bpmn:UserTask'], extension: 'zeebe:TaskHeaders', name: 'taskHeaders', reason: AT_MOST_ONE },
  { types: ['bpmn:ScriptTask'], extension: 'zeebe:Script', name: 'script', reason: AT_MOST_ONE },
  { types: ['*'], extension: 'zeebe:IoMapping', name: 'ioMapping', reason: AT_MOST_ONE },
];

/** Escalations are thrown by reference (Zeebe's EscalationEventDefinitionValidator, reported on the event definition). */
function unreferencedEscalation(moddle: ModdleElement): ValidationError[] {
  if (moddle.$type !== 'bpmn:EndEvent' && moddle.$type !== 'bpmn:IntermediateThrowEvent') return [];
  return ((moddle.eventDefinitions ?? []) as ModdleElement[])
    .filter((d) => d.$type === 'bpmn:EscalationEventDefinition' && !d.escalationRef)
    .map((d) => ({ elementId: identifierOf(d, moddle.id), message: 'Must reference an escalation' }));
}

/** Repeated extension elements and throw events referencing no escalation, for every flow element of the process. */
export function extensionAndReferenceErrors(moddleProcess: ModdleElement): ValidationError[] {
  const errors: ValidationError[] = [];
  for (const { moddle, container } of flowElementsOf(moddleProcess)) {
    for (const single of SINGLE_EXTENSIONS) {
      if (!single.types.includes(moddle.$type) && !(single.types[0] === '*' && moddle.$type !== 'bpmn:SequenceFlow')) continue;
      if (extensions(moddle, single.extension).length > 1) errors.push({ elementId: identifierOf(moddle, container.id), message: single.reason(single.name) });
    }
    errors.push(...unreferencedEscalation(moddle));
  }
  return errors;
}
