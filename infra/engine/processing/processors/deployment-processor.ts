/**
 * DEPLOYMENT CREATE: versions each process as Zeebe does (an unchanged resource keeps its version,
 * a changed one gets the next) and replaces the start event subscriptions of the previous version.
 */
import { DEFAULT_TENANT, ValueType } from '../../core/records.js';
import { ElementType, EventType, elementOf, type ExecutableProcess } from '../../model/executable-model.js';
import type { DeployedDecision, DeployedDecisionRequirements, DeployedProcess, DeploymentResult } from '../../engine-api.js';
import type { DeploymentResource } from '../../model/deployment-resources.js';
import type { EngineState, MessageStartSubscriptionValue, ProcessDefinition, SignalSubscriptionValue, TimerValue } from '../../state/engine-state.js';
import { evaluateString, withEvaluationTime } from '../../feel/feel-evaluator.js';
import { scheduleOf } from '../../feel/timer-schedule.js';
import { EventIntent } from '../appliers/event-appliers.js';
import type { ProcessValue } from '../appliers/record-appliers.js';
import type { Command } from '../command.js';
import type { Writers } from '../writers.js';
import type { Clock } from '../../core/clock.js';
import { DecisionDeployment, type DeployedDrg } from './decision-deployment.js';

export class DeploymentProcessor {
  readonly decisions: DecisionDeployment;

  constructor(
    private readonly state: EngineState,
    private readonly writers: Writers,
    private readonly clock: Clock,
  ) {
    this.decisions = new DecisionDeployment(state, writers);
  }

  process(command: Command<{ resources: DeploymentResource[] }>): void {
    const deploymentKey = this.state.nextKey();
    const deployed: DeployedProcess[] = [];
    const drgs: DeployedDrg[] = [];
    for (const resource of command.value.resources) {
      for (const model of resource.processes) deployed.push(this.deployProcess(resource, model, deploymentKey));
      if (resource.drg) drgs.push(this.decisions.deploy(resource, resource.drg, deploymentKey));
    }
    const value = {
      resources: command.value.resources.map((r) => ({ resourceName: r.resourceName, checksum: r.checksum })), processesMetadata: deployed,
      decisionsMetadata: drgs.flatMap((drg) => drg.decisions), decisionRequirementsMetadata: drgs.map((drg) => drg.requirements), tenantId: DEFAULT_TENANT,
    };
    this.writers.appendEvent(deploymentKey, ValueType.DEPLOYMENT, 'CREATED', value);
    const result: DeploymentResult = {
      deploymentKey: String(deploymentKey), processes: deployed, decisions: drgs.flatMap((drg) => drg.decisions.map(deployedDecision)),
      decisionRequirements: drgs.map((drg) => deployedRequirements(drg.requirements)), tenantId: DEFAULT_TENANT,
    };
    this.writers.respond(deploymentKey, result);
  }

  private deployProcess(resource: DeploymentResource, model: ExecutableProcess, deploymentKey: number): DeployedProcess {
    const versions = this.state.definitions().filter((d) => d.bpmnProcessId === model.bpmnProcessId);
    const latest = versions.filter((d) => !d.deleted).at(-1);
    if (latest && latest.checksum === resource.checksum && latest.resourceName === resource.resourceName) {
      return metadata(latest);
    }
    const definition: ProcessDefinition = {
      key: this.state.nextKey(), bpmnProcessId: model.bpmnProcessId, version: Math.max(0, ...versions.map((d) => d.version)) + 1,
      resourceName: resource.resourceName, checksum: resource.checksum, xml: resource.xml, deploymentKey,
      deployedAt: this.clock.now(), deleted: false,
    };
    const { key, deleted: _deleted, ...rest } = definition;
    const value: ProcessValue = { ...rest, processDefinitionKey: key };
    this.writers.appendEvent(key, ValueType.PROCESS, 'CREATED', value, { model });
    if (latest) this.closeStartEvents(latest.key);
    this.openStartEvents(definition, model);
    return metadata(definition);
  }

  /** Start events of the previous version stop listening once a new version is deployed. */
  closeStartEvents(processDefinitionKey: number): void {
    for (const sub of this.state.messageStartSubscriptionsOf(processDefinitionKey)) {
      this.writers.appendEvent(this.state.nextKey(), ValueType.MESSAGE_START_EVENT_SUBSCRIPTION, EventIntent.DELETED, sub);
    }
    for (const timer of this.state.timers.where('element_instance_key = -1')) {
      if (timer.value.processDefinitionKey === processDefinitionKey) this.writers.appendEvent(timer.key, ValueType.TIMER, EventIntent.CANCELED, timer.value);
    }
    for (const sub of this.state.signalSubscriptions.where('element_instance_key = -1')) {
      if (sub.value.processDefinitionKey === processDefinitionKey) this.writers.appendEvent(sub.key, ValueType.SIGNAL_SUBSCRIPTION, EventIntent.DELETED, sub.value);
    }
  }

  private openStartEvents(definition: ProcessDefinition, model: ExecutableProcess): void {
    const root = elementOf(model, model.bpmnProcessId);
    for (const start of root.startEventIds.map((id) => elementOf(model, id))) {
      if (start.elementType !== ElementType.START_EVENT) continue;
      const base = { processDefinitionKey: definition.key, bpmnProcessId: definition.bpmnProcessId, tenantId: DEFAULT_TENANT };
      if (start.eventType === EventType.MESSAGE) {
        const name = evaluateString(start.message!.name, {});
        if (!name.ok) continue;
        const value: MessageStartSubscriptionValue = { ...base, messageName: name.value, startEventId: start.id };
        this.writers.appendEvent(this.state.nextKey(), ValueType.MESSAGE_START_EVENT_SUBSCRIPTION, EventIntent.CREATED, value);
      } else if (start.eventType === EventType.SIGNAL) {
        const name = evaluateString(start.signalName!, {});
        if (!name.ok) continue;
        const value: SignalSubscriptionValue = { ...base, signalName: name.value, catchElementInstanceKey: -1, catchElementId: start.id };
        this.writers.appendEvent(this.state.nextKey(), ValueType.SIGNAL_SUBSCRIPTION, EventIntent.CREATED, value);
      } else if (start.eventType === EventType.TIMER) {
        const now = this.clock.now();
        const schedule = scheduleOf(start.timer!, withEvaluationTime({}, now), now);
        if (!schedule.ok) continue;
        const value: TimerValue = { ...base, processInstanceKey: -1, elementInstanceKey: -1, targetElementId: start.id, ...schedule.value };
        this.writers.appendEvent(this.state.nextKey(), ValueType.TIMER, EventIntent.CREATED, value);
      }
    }
  }
}

function metadata(definition: ProcessDefinition): DeployedProcess {
  return {
    bpmnProcessId: definition.bpmnProcessId, version: definition.version, processDefinitionKey: String(definition.key),
    resourceName: definition.resourceName, tenantId: DEFAULT_TENANT,
  };
}

function deployedDecision(d: DeployedDrg['decisions'][number]): DeployedDecision {
  return {
    decisionId: d.decisionId, decisionName: d.decisionName, version: d.version, decisionKey: String(d.decisionKey),
    decisionRequirementsId: d.decisionRequirementsId, decisionRequirementsKey: String(d.decisionRequirementsKey), tenantId: d.tenantId,
  };
}

function deployedRequirements(r: DeployedDrg['requirements']): DeployedDecisionRequirements {
  return {
    decisionRequirementsId: r.decisionRequirementsId, decisionRequirementsName: r.decisionRequirementsName, version: r.decisionRequirementsVersion,
    decisionRequirementsKey: String(r.decisionRequirementsKey), resourceName: r.resourceName, tenantId: r.tenantId,
  };
}
