import { ValueType } from '../../core/records.js';
import type { ExecutableProcess } from '../../model/executable-model.js';
import type {
  CompensationSubscriptionValue,
  EngineState,
  IncidentValue,
  ProcessDefinition,
} from '../../state/engine-state.js';
import type { ApplierTable } from './applier-registry.js';
import { JobStatus } from '../../state/job-state.js';

export interface VariableValue {
  name: string;
  value: unknown;
  scopeKey: number;
  processInstanceKey: number;
  processDefinitionKey: number;
  bpmnProcessId: string;
  tenantId: string;
}

export type ProcessValue = Omit<ProcessDefinition, 'key' | 'deleted'> & { processDefinitionKey: number; duplicate?: boolean };

export function recordAppliers(state: EngineState): ApplierTable {
  const setVariable = (key: number, value: VariableValue) =>
    state.variables.set({ key, scopeKey: value.scopeKey, name: value.name, value: value.value });
  return {
    [ValueType.VARIABLE]: { CREATED: setVariable, UPDATED: setVariable },
    [ValueType.INCIDENT]: {
      CREATED: (key, value: IncidentValue) => state.incidents.put(key, value),
      RESOLVED: (key, value: IncidentValue) => {
        state.incidents.delete(key);
        // A job whose incident is resolved is activatable again once it has retries left.
        const job = value.jobKey > 0 ? state.jobs.get(value.jobKey) : undefined;
        if (job && job.value.retries > 0 && job.status !== JobStatus.ACTIVATED) state.jobs.save({ ...job, status: JobStatus.ACTIVATABLE });
      },
    },
    [ValueType.PROCESS]: {
      CREATED: (key, value: ProcessValue, meta) => {
        if (value.duplicate) return;
        state.addDefinition({ ...value, key, deleted: false }, meta!.model as ExecutableProcess);
      },
      DELETED: (key) => state.markDefinitionDeleted(key),
    },
    [ValueType.COMPENSATION_SUBSCRIPTION]: {
      CREATED: (key, value: CompensationSubscriptionValue) => state.compensationSubscriptions.put(key, value),
      TRIGGERED: (key, value: CompensationSubscriptionValue) => state.compensationSubscriptions.put(key, value),
      COMPLETED: (key) => state.compensationSubscriptions.delete(key),
      DELETED: (key) => state.compensationSubscriptions.delete(key),
    },
  };
}
