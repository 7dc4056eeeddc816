/** PROCESS_INSTANCE_CREATION CREATE from clients, and RESOURCE_DELETION of process definitions. */
import { ElementIntent, ValueType } from '../../core/records.js';
import { RejectionType } from '../../engine-api.js';
import { elementOf } from '../../model/executable-model.js';
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
    const root = elementOf(model, model.bpmnProcessId);
    const [startElementId, ...others] = request.startInstructions;
    if (others.length > 0) {
      this.b.writers.reject(command, RejectionType.INVALID_ARGUMENT, `Expected at most one start instruction, but got ${request.startInstructions.length}: the embedded engine starts at one element`);
      return;
    }
    if (startElementId !== undefined && !model.elements.has(startElementId)) {
      this.b.writers.reject(command, RejectionType.INVALID_ARGUMENT, `Expected to create instance of process with start instructions but no element found with id '${startElementId}'.`);
      return;
    }
    if (startElementId === undefined && !root.noneStartEventId) {
      this.b.writers.reject(command, RejectionType.INVALID_STATE, `Expected to create instance of process with none start event, but there is no such event`);
      return;
    }
    const value = startProcessInstance(this.b.state, this.b.writers, definition, { variables: request.variables, ...(startElementId ? { startElementId } : {}) });
    this.b.writers.appendEvent(value.processInstanceKey, ValueType.PROCESS_INSTANCE_CREATION, 'CREATED', { ...request, processDefinitionKey: definition.key, bpmnProcessId: definition.bpmnProcessId, version: definition.version, processInstanceKey: value.processInstanceKey });
    this.b.writers.respond(value.processInstanceKey, {
      processInstanceKey: String(value.processInstanceKey), processDefinitionKey: String(definition.key),
      bpmnProcessId: definition.bpmnProcessId, version: definition.version, tenantId: value.tenantId,
    });
  }

  /** Deleting a process definition cancels its running instances (Zeebe 8.8). */
  deleteResource(command: Command<{ resourceKey: number }>): void {
    const definition = this.b.state.definitions().find((d) => d.key === command.value.resourceKey && !d.deleted);
    if (!definition) {
      this.b.writers.reject(command, RejectionType.NOT_FOUND, `Expected to delete resource but no resource found with key \`${command.value.resourceKey}\``);
      return;
    }
    for (const instance of this.b.state.rootInstancesOf(definition.key)) {
      this.b.writers.appendCommand(instance.key, ValueType.PROCESS_INSTANCE, ElementIntent.TERMINATE_ELEMENT, instance.value);
    }
    this.deployments.closeStartEvents(definition.key);
    this.b.writers.appendEvent(definition.key, ValueType.PROCESS, 'DELETED', { bpmnProcessId: definition.bpmnProcessId, version: definition.version, processDefinitionKey: definition.key, resourceName: definition.resourceName });
    this.b.writers.appendEvent(command.key, ValueType.RESOURCE_DELETION, 'DELETED', { resourceKey: definition.key });
    this.b.writers.respond(command.key, {});
  }
}
