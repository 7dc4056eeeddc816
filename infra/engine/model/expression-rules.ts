/**
 * Zeebe's deployment checks of a model's expressions (ZeebeRuntimeValidators): what must be FEEL,
 * what must be a variable path, and what must evaluate without any variables.
 */
import { evaluateString, withEvaluationTime } from '../feel/feel-evaluator.js';
import { scheduleOf } from '../feel/timer-schedule.js';
import { ElementType, EventType, type ExecutableElement, type ExecutableProcess, type Expression } from './executable-model.js';

/** As the modeller wrote it: FEEL with its `=` prefix. */
function textOf(expression: Expression): string {
  return expression.isFeel ? `=${expression.source}` : expression.source;
}

function nonStatic(expression: Expression | undefined): string[] {
  if (!expression || expression.isFeel) return [];
  return [`Expected expression but found static value '${expression.source}'. An expression must start with '=' (e.g. '=${expression.source}').`];
}

const PATH_PATTERN = /^[a-zA-Z_][a-zA-Z0-9_]*(\.[a-zA-Z_][a-zA-Z0-9_]*)*$/;
const PATH_RESERVED_WORDS = ['null', 'true', 'false', 'function', 'if', 'then', 'else', 'for', 'between', 'instance', 'of'];

function variablePath(target: string): string[] {
  if (target === '') return ['Expected path expression but not found.'];
  const errors: string[] = [];
  if (!PATH_PATTERN.test(target)) {
    errors.push(`Expected path expression '${target}' but doesn't match the pattern '${PATH_PATTERN.source.slice(1, -1)}'.`);
  }
  if (PATH_RESERVED_WORDS.includes(target)) {
    errors.push(`Expected path expression '${target}' but is one of the reserved words (${PATH_RESERVED_WORDS.join(', ')}).`);
  }
  return errors;
}

/** Conditions, correlation keys, output sources, collections and scripts are FEEL, never static. */
export function requiredFeel(e: ExecutableElement): string[] {
  return [
    ...nonStatic(e.condition),
    ...(e.message && !e.job ? nonStatic(e.message.correlationKey) : []),
    ...e.outputMappings.flatMap((m) => nonStatic(m.source)),
    ...(e.multiInstance ? [...nonStatic(e.multiInstance.inputCollection), ...nonStatic(e.multiInstance.outputElement)] : []),
    ...nonStatic(e.script?.expression),
  ];
}

/** Input and output targets name a variable, or a path into one. */
export function mappingTargets(e: ExecutableElement): string[] {
  return [...e.inputMappings, ...e.outputMappings].flatMap((m) => variablePath(m.target));
}

function isProcessStartEvent(e: ExecutableElement, p: ExecutableProcess): boolean {
  return e.elementType === ElementType.START_EVENT && e.flowScopeId === p.bpmnProcessId;
}

/** A process's message and signal start events subscribe at deployment, before any variable exists. */
export function constantStartEventNames(e: ExecutableElement, p: ExecutableProcess): string[] {
  if (!isProcessStartEvent(e, p)) return [];
  const named = e.eventType === EventType.MESSAGE ? { kind: 'message', name: e.message?.name }
    : e.eventType === EventType.SIGNAL ? { kind: 'signal', name: e.signalName } : undefined;
  if (!named?.name?.isFeel) return [];
  const name = evaluateString(named.name, {});
  if (name.ok) return [];
  const result = /but was '(\w+)'/.exec(name.failure)?.[1];
  return [result
    ? `Expected constant expression of type String for ${named.kind} name '${textOf(named.name)}', but was ${result}`
    : `Expected constant expression but found '${textOf(named.name)}', which could not be evaluated without context: ${name.failure}`];
}

/**
 * Zeebe's TimerCatchEventExpressionValidator: a static timer must be a valid duration, date or
 * cycle, and so must any timer of a process's start event, which has no variables to wait for.
 * A FEEL timer elsewhere reads the instance's variables and is evaluated when it activates.
 */
export function timerExpression(e: ExecutableElement, p: ExecutableProcess): string[] {
  if (!e.timer) return [];
  if (e.timer.expression.isFeel && !isProcessStartEvent(e, p)) return [];
  // The due date is not kept, so any instant does; the epoch keeps validation free of the clock.
  const schedule = scheduleOf(e.timer, withEvaluationTime({}, 0), 0);
  return schedule.ok ? [] : [`Invalid timer ${e.timer.kind} expression (${schedule.failure})`];
}
