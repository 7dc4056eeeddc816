/**
 * The DMN part of DEPLOYMENT CREATE, as Zeebe's DmnResourceTransformer: a DMN file becomes a
 * decision requirements graph and its decisions, each versioned by its id. A file deployed again
 * unchanged (same name, same checksum, its decisions still the latest) is a duplicate: it keeps
 * its versions and keys and writes nothing.
 */
import { DEFAULT_TENANT, ValueType } from '../../core/records.js';
import type { ParsedDrg } from '../../dmn/decision-model.js';
import type { DeploymentResource } from '../../model/deployment-resources.js';
import type { DecisionRequirementsValue, DecisionValue } from '../../state/decision-state.js';
import type { EngineState } from '../../state/engine-state.js';
import type { Writers } from '../writers.js';

/** The DEPLOYMENT record's decisionRequirementsMetadata and decisionsMetadata entries. */
export type DecisionRequirementsMetadata = Omit<DecisionRequirementsValue, 'resource' | 'deploymentKey'> & { isDuplicate: boolean };
export type DecisionMetadata = DecisionValue & { isDuplicate: boolean };

export interface DeployedDrg {
  requirements: DecisionRequirementsMetadata;
  decisions: DecisionMetadata[];
}

export const DecisionIntent = { CREATED: 'CREATED', DELETED: 'DELETED' } as const;

export class DecisionDeployment {
  constructor(
    private readonly state: EngineState,
    private readonly writers: Writers,
  ) {}

  deploy(resource: DeploymentResource, drg: ParsedDrg, deploymentKey: number): DeployedDrg {
    const decisions = this.state.decisions;
    const latest = decisions.latestRequirements(drg.id);
    const isDuplicate = !!latest && latest.value.resourceName === resource.resourceName && latest.value.checksum === resource.checksum &&
      drg.decisions.every((decision) => decisions.latestDecision(decision.id)?.value.decisionRequirementsKey === latest.key);
    if (latest && isDuplicate) {
      return {
        requirements: { ...withoutResource(latest.value), isDuplicate: true },
        decisions: drg.decisions.map((decision) => ({ ...decisions.latestDecision(decision.id)!.value, isDuplicate: true })),
      };
    }
    const requirements = this.createRequirements(resource, drg, deploymentKey);
    return {
      requirements: { ...withoutResource(requirements), isDuplicate: false },
      decisions: drg.decisions.map((decision) => ({ ...this.createDecision(decision, requirements), isDuplicate: false })),
    };
  }

  private createRequirements(resource: DeploymentResource, drg: ParsedDrg, deploymentKey: number): DecisionRequirementsValue {
    const value: DecisionRequirementsValue = {
      decisionRequirementsKey: this.state.nextKey(), decisionRequirementsId: drg.id, decisionRequirementsName: drg.name,
      decisionRequirementsVersion: this.state.decisions.nextRequirementsVersion(drg.id), namespace: drg.namespace,
      resourceName: resource.resourceName, checksum: resource.checksum, resource: resource.xml, tenantId: DEFAULT_TENANT, deploymentKey,
    };
    this.writers.appendEvent(value.decisionRequirementsKey, ValueType.DECISION_REQUIREMENTS, DecisionIntent.CREATED, value, { drg });
    return value;
  }

  private createDecision(decision: ParsedDrg['decisions'][number], requirements: DecisionRequirementsValue): DecisionValue {
    const value: DecisionValue = {
      decisionKey: this.state.nextKey(), decisionId: decision.id, decisionName: decision.name,
      version: this.state.decisions.nextDecisionVersion(decision.id), versionTag: decision.versionTag ?? '',
      decisionRequirementsId: requirements.decisionRequirementsId, decisionRequirementsKey: requirements.decisionRequirementsKey,
      tenantId: DEFAULT_TENANT, deploymentKey: requirements.deploymentKey,
    };
    this.writers.appendEvent(value.decisionKey, ValueType.DECISION, DecisionIntent.CREATED, value);
    return value;
  }

  /** RESOURCE_DELETION of a graph: its decisions go with it (Zeebe's ResourceDeletionProcessor). */
  delete(requirementsKey: number): boolean {
    const requirements = this.state.decisions.requirementsOf(requirementsKey);
    if (!requirements) return false;
    for (const decision of this.state.decisions.decisionsOf(requirementsKey)) {
      this.writers.appendEvent(decision.key, ValueType.DECISION, DecisionIntent.DELETED, decision.value);
    }
    this.writers.appendEvent(requirementsKey, ValueType.DECISION_REQUIREMENTS, DecisionIntent.DELETED, requirements);
    return true;
  }
}

function withoutResource(value: DecisionRequirementsValue): Omit<DecisionRequirementsValue, 'resource' | 'deploymentKey'> {
  const { resource: _xml, deploymentKey: _key, ...rest } = value;
  return rest;
}
