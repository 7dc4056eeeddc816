/** PROCESS_INSTANCE_CREATION CREATE from clients, and RESOURCE_DELETION of process definitions. */
import { ElementIntent, ValueType } from '../../core/records.js';
import { RejectionType } from '../../engine-api.js';
import { ElementType, elementOf, flowScopeIdsOf, followsEventBasedGateway, type ExecutableProcess } from '../../model/executable-model.js';
import type { Command } from '../command.js';
import type { BpmnBehaviors } from '../bpmn/bpmn-behaviors.js';
import type { DeploymentProcessor } from './deployment-processor.js';
import { findDefinition, startProcessInstance } from './instance-creation.js';

export interface CreationRequest {
  processDefinitionKey: number;
  bpmnProcessId: string;
  version: number;
  variables: Record<string, unknown>;
  startInstructions: string[];
}

export class CreationProcessor {
  constructor(
    private readonly b: BpmnBehaviors,
    private readonly deployments: DeploymentProcessor,
  ) {}

  create(command: Command<CreationRequest>): void {
    const request = command.value;
    const definition = findDefinition(this.b.state, request);
    if (!definition) {
      const reason = request.processDefinitionKey > 0
        ? `Expected to find process definition with key '${request.processDefinitionKey}', but none found`
        : request.version > 0
          ? `Expected to find process definition with process ID '${request.bpmnProcessId}' and version '${request.version}', but none found`
          : `Expected to find process definition with process ID '${request.bpmnProcessId}', but none found`;
      this.b.writers.reject(command, RejectionType.NOT_FOUND, reason);
      return;
    }
    const model = this.b.state.model(definition.key)!;
    const refusal = startInstructionsRefusal(model, request.startInstructions);
    if (refusal) {
      this.b.writers.reject(command, refusal.rejectionType, refusal.reason);
      return;
    }
    const value = startProcessInstance(this.b.state, this.b.writers, definition, { variables: request.variables, startElementIds: request.startInstructions });
    this.b.writers.appendEvent(value.processInstanceKey, ValueType.PROCESS_INSTANCE_CREATION, 'CREATED', { ...request, processDefinitionKey: definition.key, bpmnProcessId: definition.bpmnProcessId, version: definition.version, processInstanceKey: value.processInstanceKey });
    this.b.writers.respond(value.processInstanceKey, {
      processInstanceKey: String(value.processInstanceKey), processDefinitionKey: String(definition.key),
      bpmnProcessId: definition.bpmnProcessId, version: definition.version, tenantId: value.tenantId,
    });
  }

  /**
   * Deleting a process definition cancels its running instances (Zeebe 8.8); deleting a decision
   * requirements graph deletes its decisions.
   */
  deleteResource(command: Command<{ resourceKey: number }>): void {
    const definition = this.b.state.definitions().find((d) => d.key === command.value.resourceKey && !d.deleted);
    if (!definition) {
      if (this.deployments.decisions.delete(command.value.resourceKey)) this.resourceDeleted(command, command.value.resourceKey);
      else this.b.writers.reject(command, RejectionType.NOT_FOUND, `Expected to delete resource but no resource found with key \`${command.value.resourceKey}\``);
      return;
    }
    for (const instance of this.b.state.rootInstancesOf(definition.key)) {
      this.b.writers.appendCommand(instance.key, ValueType.PROCESS_INSTANCE, ElementIntent.TERMINATE_ELEMENT, instance.value);
    }
    this.deployments.closeStartEvents(definition.key);
    this.b.writers.appendEvent(definition.key, ValueType.PROCESS, 'DELETED', { bpmnProcessId: definition.bpmnProcessId, version: definition.version, processDefinitionKey: definition.key, resourceName: definition.resourceName });
    this.resourceDeleted(command, definition.key);
  }

  private resourceDeleted(command: Command, resourceKey: number): void {
    this.b.writers.appendEvent(command.key, ValueType.RESOURCE_DELETION, 'DELETED', { resourceKey });
    this.b.writers.respond(command.key, {});
  }
}

/** Elements a start instruction may not name (Zeebe's ProcessInstanceCreationCreateProcessor). */
const UNSUPPORTED_START_TYPES = new Set<string>([ElementType.START_EVENT, ElementType.SEQUENCE_FLOW, ElementType.BOUNDARY_EVENT]);

/** Why Zeebe refuses to create an instance with these start instructions, in its order of checks and with its texts. */
function startInstructionsRefusal(model: ExecutableProcess, elementIds: string[]): { rejectionType: RejectionType; reason: string } | undefined {
  const refuse = (reason: string) => ({ rejectionType: RejectionType.INVALID_ARGUMENT, reason: `Expected to create instance of process with start instructions but ${reason}` });
  if (elementIds.length === 0 && !elementOf(model, model.bpmnProcessId).noneStartEventId) {
    return { rejectionType: RejectionType.INVALID_STATE, reason: 'Expected to create instance of process with none start event, but there is no such event' };
  }
  const missing = elementIds.find((id) => !model.elements.has(id));
  if (missing !== undefined) return refuse(`no element found with id '${missing}'.`);
  const insideMultiInstance = elementIds.find((id) => flowScopeIdsOf(model, elementOf(model, id)).some((scopeId) => elementOf(model, scopeId).multiInstance));
  if (insideMultiInstance !== undefined) {
    return refuse(`the element with id '${insideMultiInstance}' is inside a multi-instance subprocess. The creation of elements inside a multi-instance subprocess is not supported.`);
  }
  const unsupported = elementIds.map((id) => elementOf(model, id)).find((element) => UNSUPPORTED_START_TYPES.has(element.elementType));
  if (unsupported) {
    const supported = Object.values(ElementType).filter((type) => !UNSUPPORTED_START_TYPES.has(type));
    return refuse(`the element with id '${unsupported.id}' targets unsupported element type '${unsupported.elementType}'. Supported element types are: [${supported.join(', ')}]`);
  }
  const afterGateway = elementIds.find((id) => followsEventBasedGateway(model, elementOf(model, id)));
  if (afterGateway !== undefined) {
    return refuse(`the element with id '${afterGateway}' belongs to an event-based gateway. The creation of elements belonging to an event-based gateway is not supported.`);
  }
  return undefined;
}
