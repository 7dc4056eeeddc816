/**
 * Processes the element lifecycle commands of PROCESS_INSTANCE records: writes the lifecycle
 * event and runs the element's processor; a failure becomes an incident on the element.
 */
import { ElementIntent } from '../../core/records.js';
import { RejectionType } from '../../engine-api.js';
import type { Command } from '../command.js';
import type { BpmnBehaviors } from './bpmn-behaviors.js';
import type { BpmnContext } from './bpmn-context.js';
import { processorFor } from './processors/processor-registry.js';
import type { ElementInstanceValue } from '../../core/records.js';
import type { ActivationMeta } from '../appliers/process-instance-appliers.js';

const ENDED = new Set<string>([ElementIntent.ELEMENT_COMPLETED, ElementIntent.ELEMENT_TERMINATED, ElementIntent.ELEMENT_TERMINATING]);

export class BpmnStreamProcessor {
  constructor(private readonly b: BpmnBehaviors) {}

  process(command: Command<ElementInstanceValue>): void {
    switch (command.intent) {
      case ElementIntent.ACTIVATE_ELEMENT: return this.activate(command);
      case ElementIntent.COMPLETE_ELEMENT: return this.complete(command);
      case ElementIntent.TERMINATE_ELEMENT: return this.terminate(command);
      case ElementIntent.CANCEL: return this.cancel(command);
      default: throw new Error(`Expected a process instance command, but got '${command.intent}'`);
    }
  }

  private context(key: number, value: ElementInstanceValue): BpmnContext {
    const model = this.b.state.model(value.processDefinitionKey)!;
    return { key, value, element: model.elements.get(value.elementId)!, model };
  }

  private activate(command: Command<ElementInstanceValue>): void {
    const scopeKey = command.value.flowScopeKey;
    if (scopeKey > 0) {
      // A scope that is ending or was interrupted takes no new tokens, except the interrupting event sub-process.
      const scope = this.b.instance(scopeKey);
      if (!scope || scope.state !== ElementIntent.ELEMENT_ACTIVATED) return;
      if (scope.data.interruptingElementId && scope.data.interruptingElementId !== command.value.elementId) return;
    }
    const context = this.context(command.key, command.value);
    let meta = command.meta;
    if ((meta as ActivationMeta | undefined)?.inclusiveJoin) {
      // Zeebe's ProcessInstanceStateTransitionGuard: an inclusive join not ready yet ignores the command.
      const consumedFlows = this.b.inclusiveGateways.flowsToJoin(scopeKey, context.element, context.model);
      if (!consumedFlows) return;
      meta = { consumedFlows };
    }
    this.b.writers.appendEvent(command.key, command.valueType, ElementIntent.ELEMENT_ACTIVATING, command.value, meta);
    this.run(context, () => processorFor(context.value.bpmnElementType).onActivate(context, this.b));
  }

  private complete(command: Command<ElementInstanceValue>): void {
    const instance = this.b.instance(command.key);
    if (!instance || instance.state !== ElementIntent.ELEMENT_ACTIVATED) return;
    const context = this.b.contextOf(instance);
    this.b.transitions.toCompleting(context);
    this.run(context, () => processorFor(context.value.bpmnElementType).onComplete(context, this.b));
  }

  private terminate(command: Command<ElementInstanceValue>): void {
    const instance = this.b.instance(command.key);
    if (!instance || ENDED.has(instance.state)) return;
    const context = this.b.contextOf(instance);
    this.b.transitions.toTerminating(context);
    processorFor(context.value.bpmnElementType).onTerminate(context, this.b);
  }

  /** Runs a lifecycle step again after its incident was resolved. */
  retry(elementInstanceKey: number): void {
    const instance = this.b.instance(elementInstanceKey);
    if (!instance) return;
    const context = this.b.contextOf(instance);
    const processor = processorFor(context.value.bpmnElementType);
    if (instance.state === ElementIntent.ELEMENT_ACTIVATING) this.run(context, () => processor.onActivate(context, this.b));
    else if (instance.state === ElementIntent.ELEMENT_COMPLETING) this.run(context, () => processor.onComplete(context, this.b));
  }

  private run(context: BpmnContext, step: () => ReturnType<ReturnType<typeof processorFor>['onActivate']>): void {
    const failure = step();
    if (failure) this.b.raiseIncident(context, failure);
  }

  private cancel(command: Command<{ processInstanceKey: number }>): void {
    const key = command.value.processInstanceKey;
    const instance = this.b.instance(key);
    if (!instance || instance.value.bpmnElementType !== 'PROCESS') {
      this.b.writers.reject(command, RejectionType.NOT_FOUND, `Expected to cancel a process instance with key '${key}', but no such process was found`);
      return;
    }
    if (instance.value.parentProcessInstanceKey > 0) {
      this.b.writers.reject(command, RejectionType.INVALID_STATE, `Expected to cancel a process instance with key '${key}', but it is created by a parent process instance. Cancel the root process instance '${instance.value.parentProcessInstanceKey}' instead.`);
      return;
    }
    if (instance.state === ElementIntent.ELEMENT_TERMINATING) {
      this.b.writers.reject(command, RejectionType.NOT_FOUND, `Expected to cancel a process instance with key '${key}', but no such process was found`);
      return;
    }
    this.b.writers.respond(key, { processInstanceKey: key });
    this.b.writers.appendCommand(key, command.valueType, ElementIntent.TERMINATE_ELEMENT, instance.value);
  }
}
