/**
 * The multi-instance body (docs: "Multi-instance"): the container Zeebe puts around an activity with
 * multi-instance loop characteristics. It has the activity's id and boundary events; its children are
 * the inner instances, one per item of the input collection, in parallel or one after another. Each
 * inner instance has the local variables `loopCounter` and the input element; the output element of
 * each is collected, in order, into the output collection, which leaves the body as it completes.
 */
import { ElementIntent } from '../../../core/records.js';
import { evaluateAny, evaluateArray, evaluateBoolean, withEvaluationTime, type VariableContext } from '../../../feel/feel-evaluator.js';
import { ErrorType, type Failure } from '../../command.js';
import type { BpmnBehaviors } from '../bpmn-behaviors.js';
import type { BpmnContext } from '../bpmn-context.js';
import type { BpmnContainerProcessor, ChildCompletion } from '../bpmn-element-processor.js';
import { finishTermination, terminateChildren } from './container-processors.js';

export const multiInstanceBodyProcessor: BpmnContainerProcessor = {
  onActivate(body, b) {
    const mi = body.element.multiInstance!;
    const collection = evaluateArray(mi.inputCollection, b.variables.feelContext(body.key));
    if (!collection.ok) return { errorType: ErrorType.EXTRACT_VALUE_ERROR, message: collection.failure };
    const subscribed = b.subscribeBoundaryEvents(body);
    if (subscribed) return subscribed;
    if (mi.outputCollection) b.variables.setLocal(body.key, { [mi.outputCollection]: collection.value.map(() => null) }, body.value);
    b.transitions.toActivated(body, { inputCollection: collection.value });
    if (collection.value.length === 0) return b.transitions.completeElement(body);
    const count = mi.isSequential ? 1 : collection.value.length;
    for (let index = 0; index < count; index++) activateInnerInstance(body, b, collection.value, index);
  },
  onComplete(body, b) {
    const outputCollection = body.element.multiInstance!.outputCollection;
    if (outputCollection) {
      const collected = b.state.variables.getLocal(body.key, outputCollection)?.value ?? [];
      b.variables.merge(body.value.flowScopeKey, { [outputCollection]: collected }, body.value);
    }
    // The activity's own output mappings were applied by each inner instance, not by the body.
    b.subscriptions.unsubscribe(body.key);
    b.compensation.subscribe(body);
    b.transitions.toCompleted(body);
    b.transitions.takeOutgoingFlows(body);
    b.afterCompleted(body);
  },
  onTerminate(body, b) {
    terminateChildren(body, b);
  },
  beforeChildCompleted(body, child, b) {
    return collectAndCheckCompletion(body, child, b);
  },
  onChildCompleted(body, _child, b, completion) {
    const instance = b.instance(body.key)!;
    if (instance.state !== ElementIntent.ELEMENT_ACTIVATED) return;
    const collection = instance.data.inputCollection ?? [];
    const loopCounter = completion?.loopCounter ?? collection.length;
    if (body.element.multiInstance!.isSequential && !completion?.completionConditionFulfilled && loopCounter < collection.length) {
      activateInnerInstance(body, b, collection, loopCounter);
      return;
    }
    if (instance.data.activeChildren === 0) b.transitions.completeElement(body);
  },
  onChildTerminated(body, _child, b) {
    const instance = b.instance(body.key)!;
    if (instance.data.activeChildren > 0) return;
    // Children are only terminated with the body, or when the completion condition is fulfilled.
    if (instance.state === ElementIntent.ELEMENT_TERMINATING) finishTermination(body, b);
    else if (instance.state === ElementIntent.ELEMENT_ACTIVATED) b.transitions.completeElement(body);
  },
};

function activateInnerInstance(body: BpmnContext, b: BpmnBehaviors, collection: unknown[], index: number): void {
  const { inputElement, outputElement } = body.element.multiInstance!;
  const key = b.transitions.activateChild(body.key, body.value, body.element);
  // An output element that names a variable (`=result`, `=result.total`) starts as a local null,
  // so what each inner instance sets stays in its own scope instead of reaching the process (as in Zeebe).
  const outputVariable = outputElement?.isFeel ? variableNamedBy(outputElement.source) : undefined;
  const locals: VariableContext = {
    ...(inputElement ? { [inputElement]: collection[index] ?? null } : {}),
    ...(outputVariable && outputVariable !== inputElement && outputVariable !== 'loopCounter' ? { [outputVariable]: null } : {}),
    loopCounter: index + 1,
  };
  b.variables.setLocal(key, locals, body.value);
}

const variablePath = /^([A-Za-z_][A-Za-z0-9_]*)(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** The variable an expression that is only a variable or a property path of one reads. */
function variableNamedBy(source: string): string | undefined {
  const name = variablePath.exec(source.trim())?.[1];
  return name && !['null', 'true', 'false'].includes(name) ? name : undefined;
}

/**
 * While the inner instance still exists: collects its output element and evaluates the completion
 * condition with Zeebe's inside properties (numberOfInstances, numberOfActiveInstances, ...).
 */
function collectAndCheckCompletion(body: BpmnContext, child: BpmnContext, b: BpmnBehaviors): Failure | ChildCompletion {
  const mi = body.element.multiInstance!;
  const instance = b.instance(body.key)!;
  const loopCounter = Number(b.state.variables.getLocal(child.key, 'loopCounter')?.value ?? 0);
  const visible = b.variables.feelContext(child.key);
  const output = mi.outputCollection && mi.outputElement ? evaluateAny(mi.outputElement, visible) : undefined;
  if (output && !output.ok) return { errorType: ErrorType.EXTRACT_VALUE_ERROR, message: output.failure };
  const fulfilled = completionConditionFulfilled(body, withEvaluationTime({ ...visible, ...insideProperties(instance.data, loopCounter, mi.isSequential) }, b.clock.now()));
  if (typeof fulfilled !== 'boolean') return fulfilled;
  if (output?.ok) {
    const collected = [...((b.state.variables.getLocal(body.key, mi.outputCollection!)?.value as unknown[] | undefined) ?? [])];
    collected[loopCounter - 1] = output.value;
    b.variables.setLocal(body.key, { [mi.outputCollection!]: collected }, body.value);
  }
  if (fulfilled) {
    for (const sibling of b.state.elementInstances.children(body.key)) {
      if (sibling.key !== child.key && sibling.state !== ElementIntent.ELEMENT_TERMINATING) b.transitions.terminateElement(sibling.key, sibling.value);
    }
  }
  return { completionConditionFulfilled: fulfilled, takeOutgoingFlows: false, loopCounter };
}

function insideProperties(data: { activeChildren: number; terminatedChildren?: number; inputCollection?: unknown[] }, loopCounter: number, isSequential: boolean): VariableContext {
  // The inner instances created so far (Zeebe counts each as it activates): one by one when sequential.
  const numberOfInstances = isSequential ? loopCounter : data.inputCollection?.length ?? 0;
  // The completing instance no longer counts as active.
  const numberOfActiveInstances = data.activeChildren - 1;
  const numberOfTerminatedInstances = data.terminatedChildren ?? 0;
  const numberOfCompletedInstances = isSequential ? loopCounter : numberOfInstances - numberOfActiveInstances - numberOfTerminatedInstances;
  return { numberOfInstances, numberOfActiveInstances, numberOfCompletedInstances, numberOfTerminatedInstances };
}

function completionConditionFulfilled(body: BpmnContext, context: VariableContext): Failure | boolean {
  const condition = body.element.multiInstance!.completionCondition;
  if (!condition) return false;
  const result = evaluateBoolean(condition, context);
  return result.ok ? result.value : { errorType: ErrorType.EXTRACT_VALUE_ERROR, message: result.failure };
}
