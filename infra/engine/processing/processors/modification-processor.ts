/**
 * Process instance modification (Zeebe's ProcessInstanceModificationModifyProcessor): activates
 * elements and terminates element instances of a running instance, to repair it. The whole command
 * is validated before anything is written, so a refused modification changes nothing.
 *
 * Activation: the element is activated inside an active instance of its flow scope: the one the
 * instruction names as ancestor, or the only active instance of the nearest flow scope that has
 * one; flow scopes in between are created (a sub-process so created starts at the next element
 * towards the target, not at its start event). Termination: the instance and everything inside it
 * end at once (TERMINATING, then TERMINATED from the innermost out); a flow scope left with nothing
 * active ends with it, up to the process instance, unless an activation of the same command needs it.
 */
import { ElementIntent, ValueType } from '../../core/records.js';
import { CommandRejectedError, RejectionType } from '../../engine-api.js';
import { ElementType, elementOf, flowScopeIdsOf, followsEventBasedGateway, type ExecutableElement, type ExecutableProcess } from '../../model/executable-model.js';
import type { ElementInstance, ScopePathStep } from '../../state/element-instance-state.js';
import type { Command } from '../command.js';
import type { BpmnBehaviors } from '../bpmn/bpmn-behaviors.js';

export interface VariableInstruction {
  variables: Record<string, unknown>;
  /** The element whose instance gets the variables; empty for the process instance (global). */
  scopeId: string;
}

export interface ActivateInstruction {
  elementId: string;
  /** An active instance of one of the element's flow scopes to create it in; -1 (or 0) to let the engine find one. */
  ancestorElementInstanceKey: number;
  variableInstructions: VariableInstruction[];
}

export interface ModificationValue {
  processInstanceKey: number;
  activateInstructions: ActivateInstruction[];
  terminateInstructions: { elementInstanceKey: number }[];
}

/** What an activation does: in which existing scope instance, creating which flow scopes on the way. */
interface ActivationPlan {
  instruction: ActivateInstruction;
  scope: ElementInstance;
  /** Flow scopes to create, outermost first, then the element itself. */
  path: ExecutableElement[];
}

/** Zeebe refuses these as activation targets; the process and an event sub-process are refused here as well. */
const UNSUPPORTED_TARGETS = new Set<string>([ElementType.START_EVENT, ElementType.BOUNDARY_EVENT, ElementType.SEQUENCE_FLOW, ElementType.PROCESS, ElementType.EVENT_SUB_PROCESS]);
const CONTAINERS = new Set<string>([ElementType.PROCESS, ElementType.SUB_PROCESS, ElementType.EVENT_SUB_PROCESS, ElementType.MULTI_INSTANCE_BODY]);
const ENDING = new Set<string>([ElementIntent.ELEMENT_TERMINATING, ElementIntent.ELEMENT_COMPLETED, ElementIntent.ELEMENT_TERMINATED]);

export class ModificationProcessor {
  constructor(private readonly b: BpmnBehaviors) {}

  modify(command: Command<ModificationValue>): void {
    try {
      this.apply(command);
    } catch (error) {
      // Refused while validating, before anything was written.
      if (!(error instanceof CommandRejectedError)) throw error;
      this.b.writers.reject(command, error.rejectionType, error.reason);
    }
  }

  private apply(command: Command<ModificationValue>): void {
    const { processInstanceKey, activateInstructions, terminateInstructions } = command.value;
    const root = this.b.instance(processInstanceKey);
    if (!root || root.value.bpmnElementType !== ElementType.PROCESS || ENDING.has(root.state)) {
      throw new CommandRejectedError(RejectionType.NOT_FOUND, `Expected to modify process instance but no process instance found with key '${processInstanceKey}'`);
    }
    const model = this.b.state.model(root.value.processDefinitionKey)!;
    const refuse = (reason: string) => new CommandRejectedError(RejectionType.INVALID_ARGUMENT, `Expected to modify instance of process '${model.bpmnProcessId}' but ${reason}`);

    this.validateTargets(model, activateInstructions, refuse);
    const terminated = terminateInstructions.map(({ elementInstanceKey }) => elementInstanceKey);
    const unknown = terminated.filter((key) => this.b.instance(key)?.value.processInstanceKey !== processInstanceKey);
    if (unknown.length > 0) throw refuse(`it contains one or more terminate instructions with an element instance that could not be found: '${[...new Set(unknown)].join("', '")}'`);

    const activations = activateInstructions.map((instruction) => this.planActivation(root, model, instruction, refuse));
    const conflicts = activations.filter((plan) => terminated.includes(plan.scope.key));
    if (conflicts.length > 0) {
      const list = conflicts.map((plan) => `element '${plan.instruction.elementId}' requires flow scope instance '${plan.scope.key}' which is being terminated`).join(', ');
      throw refuse(`it contains one or more activate instructions for elements whose required flow scope instance is also being terminated: ${list}. Please provide a valid ancestor scope key for the activation or avoid terminating the required flow scope.`);
    }
    const terminations = this.planTerminations(terminated, new Set(activations.map((plan) => plan.scope.key)), refuse);

    this.activate(root, model, activations);
    for (const instance of terminations) this.terminate(instance);
    this.b.writers.appendEvent(processInstanceKey, ValueType.PROCESS_INSTANCE_MODIFICATION, 'MODIFIED', command.value);
    this.b.writers.respond(processInstanceKey, {});
  }

  private validateTargets(model: ExecutableProcess, instructions: ActivateInstruction[], refuse: (reason: string) => CommandRejectedError): void {
    const ids = [...new Set(instructions.map((instruction) => instruction.elementId))];
    const missing = ids.filter((id) => !model.elements.has(id));
    if (missing.length > 0) throw refuse(`it contains one or more activate instructions with an element that could not be found: '${missing.join("', '")}'`);
    const afterEventBasedGateway = ids.filter((id) => followsEventBasedGateway(model, elementOf(model, id)));
    if (afterEventBasedGateway.length > 0) {
      throw refuse(`it contains one or more activate instructions for elements that are unsupported: '${afterEventBasedGateway.join("', '")}'. The activation of events belonging to an event-based gateway is not supported.`);
    }
    const unsupported = ids.map((id) => elementOf(model, id)).filter((element) => UNSUPPORTED_TARGETS.has(element.elementType));
    if (unsupported.length > 0) {
      const types = [...new Set(unsupported.map((element) => element.elementType))].join("', '");
      throw refuse(`it contains one or more activate instructions for elements that are unsupported: '${unsupported.map((element) => element.id).join("', '")}'. The activation of elements with type '${types}' is not supported.`);
    }
    for (const instruction of instructions) {
      const scopeIds = instruction.variableInstructions.map((variables) => variables.scopeId).filter((id) => id !== '');
      const unknownScopes = scopeIds.filter((id) => !model.elements.has(id));
      if (unknownScopes.length > 0) throw refuse(`it contains one or more variable instructions with a scope element id that could not be found: '${unknownScopes.join("', '")}'`);
      const chain = [instruction.elementId, ...flowScopeIdsOf(model, elementOf(model, instruction.elementId))];
      if (scopeIds.some((id) => !chain.includes(id))) {
        throw refuse("it contains one or more variable instructions with a scope element that doesn't belong to the activating element's flow scope. These variables should be set before or after the modification.");
      }
    }
  }

  private planActivation(root: ElementInstance, model: ExecutableProcess, instruction: ActivateInstruction, refuse: (reason: string) => CommandRejectedError): ActivationPlan {
    const target = elementOf(model, instruction.elementId);
    const scopeIds = flowScopeIdsOf(model, target);
    let scope: ElementInstance | undefined;
    if (instruction.ancestorElementInstanceKey > 0) {
      const key = instruction.ancestorElementInstanceKey;
      scope = this.b.instance(key);
      if (!scope || scope.state !== ElementIntent.ELEMENT_ACTIVATED) throw refuse(`it contains one or more activate instructions with an ancestor scope key that does not exist, or is not in an active state: '${key}'`);
      if (scope.value.processInstanceKey !== root.key) throw refuse(`it contains one or more activate instructions with an ancestor scope key that does not belong to the modified process instance: '${key}'`);
      if (!scopeIds.includes(scope.value.elementId)) {
        throw refuse(`it contains one or more activate instructions with an ancestor scope key that is not an ancestor of the element to activate:\n- instance '${key}' of element '${scope.value.elementId}' is not an ancestor of element '${target.id}'`);
      }
    } else {
      for (const id of scopeIds) {
        const active = id === model.bpmnProcessId ? [root] : this.activeInstancesOf(root, id);
        if (active.length > 1) {
          throw refuse(`it contains one or more activate instructions for an element that has a flow scope with more than one active instance: '${id}'. Can't decide in which instance of the flow scope the element should be activated. Please specify an ancestor element instance key for this activate instruction.`);
        }
        if (active.length === 1) {
          scope = active[0]!;
          break;
        }
      }
    }
    const created = scopeIds.slice(0, scopeIds.indexOf(scope!.value.elementId)).reverse().map((id) => elementOf(model, id));
    // An instance of a multi-instance element whose body is the scope, or a body to create: Zeebe does not create either.
    const multiInstance = scope!.value.bpmnElementType === ElementType.MULTI_INSTANCE_BODY ? elementOf(model, scope!.value.elementId) : created.find((element) => element.multiInstance);
    if (multiInstance) throw refuse(`it contains one or more activate instructions that would result in the activation of multi-instance element '${multiInstance.id}', which is currently unsupported.`);
    const eventSubProcess = created.find((element) => element.elementType === ElementType.EVENT_SUB_PROCESS);
    if (eventSubProcess) throw refuse(`it contains one or more activate instructions that would result in the activation of event sub-process '${eventSubProcess.id}', which is not supported by this engine.`);
    return { instruction, scope: scope!, path: [...created, target] };
  }

  /** Active instances of an element in the process instance (not a multi-instance body). */
  private activeInstancesOf(root: ElementInstance, elementId: string): ElementInstance[] {
    const found: ElementInstance[] = [];
    const visit = (scopeKey: number) => {
      for (const child of this.b.state.elementInstances.children(scopeKey)) {
        if (child.value.elementId === elementId && child.value.bpmnElementType !== ElementType.MULTI_INSTANCE_BODY && child.state === ElementIntent.ELEMENT_ACTIVATED) found.push(child);
        if (CONTAINERS.has(child.value.bpmnElementType)) visit(child.key);
      }
    };
    visit(root.key);
    return found;
  }

  /** Activations in the same scope that create the same flow scope on their way share its instance, as in Zeebe. */
  private activate(root: ElementInstance, model: ExecutableProcess, plans: ActivationPlan[]): void {
    const pathsByScope = new Map<number, { scope: ElementInstance; paths: ScopePathStep[][] }>();
    for (const plan of plans) {
      const variablesFor = (elementId: string) => plan.instruction.variableInstructions.filter((v) => v.scopeId === elementId).map((v) => v.variables);
      // The process instance's scope is named by an empty scope id or by the process id.
      for (const document of [...variablesFor(''), ...variablesFor(root.value.elementId)]) this.b.variables.setLocal(root.key, document, root.value);
      for (const document of plan.scope.key === root.key ? [] : variablesFor(plan.scope.value.elementId)) this.b.variables.setLocal(plan.scope.key, document, plan.scope.value);
      const path = plan.path.map((element) => ({ elementId: element.id, variables: variablesFor(element.id) }));
      const entry = pathsByScope.get(plan.scope.key);
      if (entry) entry.paths.push(path);
      else pathsByScope.set(plan.scope.key, { scope: plan.scope, paths: [path] });
    }
    for (const { scope, paths } of pathsByScope.values()) this.b.activateAlongPaths(scope.key, scope.value, model, paths);
  }

  /**
   * The instances to terminate, in order: each instructed one (unless inside one terminated before)
   * and after it the flow scopes it leaves empty. Refused when that would end a called process
   * instance: its parent would not know what to do (Zeebe refuses it too).
   */
  private planTerminations(keys: number[], required: Set<number>, refuse: (reason: string) => CommandRejectedError): ElementInstance[] {
    const ending = new Set<number>();
    const order: ElementInstance[] = [];
    for (const key of keys) {
      if (ending.has(key)) continue;
      const instance = this.b.instance(key)!;
      order.push(instance);
      for (const inner of this.subtree(instance)) ending.add(inner.key);
      let scope = this.b.instance(instance.value.flowScopeKey);
      while (scope && !ending.has(scope.key) && !required.has(scope.key) && scope.data.activeFlows === 0 && this.b.state.elementInstances.children(scope.key).every((child) => ending.has(child.key))) {
        if (scope.value.bpmnElementType === ElementType.PROCESS && scope.value.parentProcessInstanceKey > 0) {
          throw refuse('the given instructions would terminate the instance. The instance was created by a call activity in the parent process. To terminate this instance please modify the parent process instead.');
        }
        order.push(scope);
        ending.add(scope.key);
        scope = this.b.instance(scope.value.flowScopeKey);
      }
    }
    return order;
  }

  /** The instance and everything running inside it, outermost first (a call activity's called process instance included). */
  private subtree(instance: ElementInstance): ElementInstance[] {
    const all: ElementInstance[] = [];
    const pending = [instance];
    while (pending.length > 0) {
      const current = pending.pop()!;
      if (ENDING.has(current.state)) continue;
      all.push(current);
      if (CONTAINERS.has(current.value.bpmnElementType)) pending.push(...this.b.state.elementInstances.children(current.key));
      const called = current.data.calledChildInstanceKey;
      if (current.value.bpmnElementType === ElementType.CALL_ACTIVITY && called) {
        const child = this.b.instance(called);
        if (child) pending.push(child);
      }
    }
    return all;
  }

  /** Zeebe's way: TERMINATING with the clean-up of each instance, then TERMINATED from the innermost out; no processor runs. */
  private terminate(instance: ElementInstance): void {
    const current = this.b.instance(instance.key);
    if (!current || ENDING.has(current.state)) return;
    const all = this.subtree(current);
    for (const inner of all) {
      this.b.transitions.toTerminating(this.b.contextOf(inner));
      this.b.releaseHeld(inner.key);
    }
    for (const inner of all.reverse()) {
      this.b.transitions.toTerminated(this.b.contextOf(inner));
      if (inner.value.bpmnElementType === ElementType.PROCESS) {
        this.b.compensation.deleteAll(inner.key);
        this.b.writers.endedInstances.add(inner.key);
      }
    }
  }
}
