/** Raises incidents where an element cannot go on, and resolves them when it ends. */
import { ValueType } from '../../../core/records.js';
import type { EngineState, IncidentValue } from '../../../state/engine-state.js';
import type { Failure } from '../../command.js';
import type { Writers } from '../../writers.js';
import type { BpmnContext } from '../bpmn-context.js';

export class IncidentBehavior {
  constructor(
    private readonly state: EngineState,
    private readonly writers: Writers,
  ) {}

  raise(context: BpmnContext, failure: Failure, jobKey = -1): void {
    const value: IncidentValue = {
      errorType: failure.errorType, errorMessage: failure.message, bpmnProcessId: context.value.bpmnProcessId,
      processDefinitionKey: context.value.processDefinitionKey, processInstanceKey: context.value.processInstanceKey,
      elementId: context.element.id, elementInstanceKey: context.key, jobKey, variableScopeKey: context.key,
      tenantId: context.value.tenantId,
    };
    this.writers.appendEvent(this.state.nextKey(), ValueType.INCIDENT, 'CREATED', value);
  }

  resolveAll(elementInstanceKey: number): void {
    for (const incident of this.state.incidents.where('element_instance_key = ?', elementInstanceKey)) {
      this.writers.appendEvent(incident.key, ValueType.INCIDENT, 'RESOLVED', incident.value);
    }
  }
}
