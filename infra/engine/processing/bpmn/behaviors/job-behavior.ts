/** Creates and cancels the jobs of job-worker elements (service, send, user, ... tasks). */
import { ValueType } from '../../../core/records.js';
import { evaluateInteger, evaluateString } from '../../../feel/feel-evaluator.js';
import type { EngineState } from '../../../state/engine-state.js';
import type { JobValue } from '../../../state/job-state.js';
import { JobIntent } from '../../appliers/job-appliers.js';
import { ErrorType, type Failure } from '../../command.js';
import type { Writers } from '../../writers.js';
import type { BpmnContext } from '../bpmn-context.js';
import type { VariableBehavior } from './variable-behavior.js';

export class JobBehavior {
  constructor(
    private readonly state: EngineState,
    private readonly writers: Writers,
    private readonly variables: VariableBehavior,
  ) {}

  /** Evaluates the job's type and retries without writing anything. */
  evaluate(context: BpmnContext): JobValue | Failure {
    const definition = context.element.job!;
    const variables = definition.type.isFeel || definition.retries.isFeel ? this.variables.feelContext(context.key) : {};
    const type = evaluateString(definition.type, variables);
    if (!type.ok) return { errorType: ErrorType.EXTRACT_VALUE_ERROR, message: type.failure };
    const retries = evaluateInteger(definition.retries, variables);
    if (!retries.ok) return { errorType: ErrorType.EXTRACT_VALUE_ERROR, message: retries.failure };
    const value: JobValue = {
      type: type.value, worker: '', retries: retries.value, retryBackoff: 0, recurringTime: -1, deadline: -1, timeout: -1,
      errorMessage: '', errorCode: '', customHeaders: definition.headers, variables: {},
      elementId: context.element.id, elementInstanceKey: context.key, processInstanceKey: context.value.processInstanceKey,
      bpmnProcessId: context.value.bpmnProcessId, processDefinitionVersion: context.value.version,
      processDefinitionKey: context.value.processDefinitionKey, tenantId: context.value.tenantId,
    };
    return value;
  }

  create(value: JobValue): void {
    this.writers.appendEvent(this.state.nextKey(), ValueType.JOB, JobIntent.CREATED, value);
    this.writers.jobTypesAvailable.add(value.type);
  }

  cancelJob(elementInstanceKey: number): void {
    // The JOB CREATED applier notes the job on its element instance, so no index over jobs by element is needed.
    const jobKey = this.state.elementInstances.get(elementInstanceKey)?.data.jobKey;
    const job = jobKey === undefined ? undefined : this.state.jobs.get(jobKey);
    if (job) this.writers.appendEvent(job.key, ValueType.JOB, JobIntent.CANCELED, job.value);
  }
}
