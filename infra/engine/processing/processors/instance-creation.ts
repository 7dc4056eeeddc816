/** Starting a process instance, shared by client creation, message/timer/signal start events and call activities. */
import { DEFAULT_TENANT, ElementIntent, ValueType, type ElementInstanceValue } from '../../core/records.js';
import { ElementType, EventType, elementOf, flowScopeIdsOf, type ExecutableProcess } from '../../model/executable-model.js';
import type { ScopePathStep } from '../../state/element-instance-state.js';
import type { EngineState, ProcessDefinition } from '../../state/engine-state.js';
import { EventIntent, type ProcessEventValue } from '../appliers/event-appliers.js';
import type { VariableValue } from '../appliers/record-appliers.js';
import type { Writers } from '../writers.js';

export interface InstanceStart {
  variables?: Record<string, unknown>;
  /** Start at these elements instead of the none start event (creating the sub-processes they are in). */
  startElementIds?: string[];
  /** The start event whose event created the instance, with the event's variables. */
  trigger?: { elementId: string; variables: Record<string, unknown> };
  parent?: { processInstanceKey: number; elementInstanceKey: number };
}

export function startProcessInstance(state: EngineState, writers: Writers, definition: ProcessDefinition, start: InstanceStart): ElementInstanceValue {
  const key = state.nextKey();
  const value: ElementInstanceValue = {
    bpmnProcessId: definition.bpmnProcessId, version: definition.version, processDefinitionKey: definition.key,
    processInstanceKey: key, elementId: definition.bpmnProcessId, flowScopeKey: -1,
    bpmnElementType: ElementType.PROCESS, bpmnEventType: EventType.UNSPECIFIED,
    parentProcessInstanceKey: start.parent?.processInstanceKey ?? -1, parentElementInstanceKey: start.parent?.elementInstanceKey ?? -1,
    tenantId: DEFAULT_TENANT,
  };
  for (const [name, variable] of Object.entries(start.variables ?? {})) {
    const record: VariableValue = { name, value: variable ?? null, scopeKey: key, processInstanceKey: key, processDefinitionKey: definition.key, bpmnProcessId: definition.bpmnProcessId, tenantId: DEFAULT_TENANT };
    writers.appendEvent(state.nextKey(), ValueType.VARIABLE, 'CREATED', record);
  }
  if (start.trigger) {
    const eventKey = state.nextKey();
    const event: ProcessEventValue = { scopeKey: key, eventKey, elementId: start.trigger.elementId, variables: start.trigger.variables, processInstanceKey: key, processDefinitionKey: definition.key };
    writers.appendEvent(eventKey, ValueType.PROCESS_EVENT, EventIntent.TRIGGERING, event);
  }
  // Starting elsewhere than at the none start event goes the way a modification does: through the
  // elements' flow scopes, each created without its start event.
  const model = state.model(definition.key)!;
  const startPaths = (start.startElementIds ?? []).map((elementId) => startPathTo(model, elementId));
  const meta = startPaths.length > 0 ? { data: { startPaths } } : undefined;
  writers.appendCommand(key, ValueType.PROCESS_INSTANCE, ElementIntent.ACTIVATE_ELEMENT, value, meta);
  return value;
}

/** The sub-processes an element is in, outermost first, then the element: where an instance starting at it goes. */
function startPathTo(model: ExecutableProcess, elementId: string): ScopePathStep[] {
  const scopes = flowScopeIdsOf(model, elementOf(model, elementId)).slice(0, -1).reverse();
  return [...scopes, elementId].map((id) => ({ elementId: id, variables: [] }));
}

/** The definition a request names: by key, or the given (or latest) version of a process id. */
export function findDefinition(state: EngineState, request: { processDefinitionKey?: number; bpmnProcessId?: string; version?: number }): ProcessDefinition | undefined {
  const live = state.definitions().filter((d) => !d.deleted);
  if (request.processDefinitionKey && request.processDefinitionKey > 0) return live.find((d) => d.key === request.processDefinitionKey);
  const versions = live.filter((d) => d.bpmnProcessId === request.bpmnProcessId);
  if (request.version !== undefined && request.version > 0) return versions.find((d) => d.version === request.version);
  return versions.reduce<ProcessDefinition | undefined>((latest, d) => (!latest || d.version > latest.version ? d : latest), undefined);
}
