/**
 * Call activities (docs: "Call activities"): start the latest version of the called process with
 * the call activity's variables, wait for it, and take its variables back. Terminating the call
 * activity terminates the called instance; the called instance reports back through
 * {@link calledProcessHooks}.
 */
import { ElementIntent } from '../../../core/records.js';
import { evaluateString } from '../../../feel/feel-evaluator.js';
import { ErrorType, type Failure } from '../../command.js';
import { findDefinition, startProcessInstance } from '../../processors/instance-creation.js';
import type { BpmnBehaviors, CalledProcessHooks } from '../bpmn-behaviors.js';
import type { BpmnContext } from '../bpmn-context.js';
import type { BpmnElementProcessor } from '../bpmn-element-processor.js';

export const callActivityProcessor: BpmnElementProcessor = {
  onActivate(context, b) {
    const failure = b.variables.applyInputMappings(context) ?? startCalledProcess(context, b);
    if (failure) return failure;
  },
  onComplete(context, b) {
    return b.completeAndContinue(context);
  },
  onTerminate(context, b) {
    b.releaseHeld(context.key);
    const childKey = b.instance(context.key)?.data.calledChildInstanceKey;
    const child = childKey ? b.instance(childKey) : undefined;
    if (child && child.state !== ElementIntent.ELEMENT_TERMINATING) b.transitions.terminateElement(child.key, child.value);
    if (!child) finishTermination(context, b);
  },
};

function startCalledProcess(context: BpmnContext, b: BpmnBehaviors): Failure | undefined {
  const called = context.element.calledElement!;
  const visible = b.variables.visible(context.key);
  const processId = evaluateString(called.processId, b.variables.feelContext(context.key));
  if (!processId.ok) return { errorType: ErrorType.EXTRACT_VALUE_ERROR, message: processId.failure };
  const definition = findDefinition(b.state, { bpmnProcessId: processId.value });
  if (!definition) {
    return { errorType: ErrorType.CALLED_ELEMENT_ERROR, message: `Expected process with BPMN process id '${processId.value}' to be deployed, but not found.` };
  }
  const subscribed = b.subscribeBoundaryEvents(context);
  if (subscribed) return subscribed;
  // Without propagateAllParentVariables only the input mappings (the call activity's locals) go down.
  const variables = called.propagateAllParentVariables ? visible : localVariables(context, b);
  b.transitions.toActivated(context);
  startProcessInstance(b.state, b.writers, definition, { variables, parent: { processInstanceKey: context.value.processInstanceKey, elementInstanceKey: context.key } });
  return undefined;
}

function localVariables(context: BpmnContext, b: BpmnBehaviors): Record<string, unknown> {
  return Object.fromEntries(b.state.variables.local(context.key).map((v) => [v.name, v.value]));
}

function finishTermination(context: BpmnContext, b: BpmnBehaviors): void {
  b.transitions.toTerminated(context);
  b.afterTerminated(context);
}

function callActivityOf(processInstance: BpmnContext, b: BpmnBehaviors): BpmnContext | undefined {
  const key = processInstance.value.parentElementInstanceKey;
  const instance = key > 0 ? b.instance(key) : undefined;
  return instance && b.contextOf(instance);
}

export const calledProcessHooks: CalledProcessHooks = {
  onCalledProcessCompleted(processInstance, variables, b) {
    const callActivity = callActivityOf(processInstance, b);
    if (!callActivity || b.instance(callActivity.key)!.state !== ElementIntent.ELEMENT_ACTIVATED) return;
    const called = callActivity.element.calledElement!;
    // With output mappings (or propagateAllChildVariables off) the variables stay local and the mappings pick.
    if (callActivity.element.outputMappings.length > 0 || !called.propagateAllChildVariables) b.variables.setLocal(callActivity.key, variables, callActivity.value);
    else b.variables.merge(callActivity.key, variables, callActivity.value);
    b.transitions.completeElement(callActivity);
  },
  onCalledProcessTerminated(processInstance, b) {
    const callActivity = callActivityOf(processInstance, b);
    if (callActivity && b.instance(callActivity.key)!.state === ElementIntent.ELEMENT_TERMINATING) finishTermination(callActivity, b);
  },
};
