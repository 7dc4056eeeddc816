/**
 * Deployed decisions and decision requirements graphs (Zeebe's DecisionState): rows in the
 * engine's store, and each graph's parsed form in memory. A deleted one stays as a row marked
 * deleted, so versions are never handed out twice.
 */
import type { ParsedDrg } from '../dmn/decision-model.js';
import type { Db } from './database.js';
import { KeyedTable, type Keyed } from './keyed-table.js';

/** DECISION_REQUIREMENTS record values, as Zeebe's DecisionRequirementsRecord; `resource` is the DMN XML. */
export interface DecisionRequirementsValue {
  decisionRequirementsKey: number;
  decisionRequirementsId: string;
  decisionRequirementsName: string;
  decisionRequirementsVersion: number;
  namespace: string;
  resourceName: string;
  checksum: string;
  resource: string;
  tenantId: string;
  deploymentKey: number;
}

/** DECISION record values, as Zeebe's DecisionRecord. */
export interface DecisionValue {
  decisionKey: number;
  decisionId: string;
  decisionName: string;
  version: number;
  versionTag: string;
  decisionRequirementsId: string;
  decisionRequirementsKey: number;
  tenantId: string;
  deploymentKey: number;
}

type Stored<V> = V & { deleted?: boolean };

const LIVE = 'deleted = 0';

export class DecisionState {
  readonly decisions: KeyedTable<Stored<DecisionValue>>;
  readonly requirements: KeyedTable<Stored<DecisionRequirementsValue>>;
  /** Parsing is asynchronous, so graphs are parsed outside of processing and registered here. */
  private readonly graphs = new Map<number, ParsedDrg>();

  constructor(db: Db) {
    const deleted = (v: { deleted?: boolean }) => (v.deleted ? 1 : 0);
    this.decisions = new KeyedTable<Stored<DecisionValue>>(db, 'decisions', {
      decision_id: (v) => v.decisionId, version: (v) => v.version, decision_requirements_key: (v) => v.decisionRequirementsKey,
      deployment_key: (v) => v.deploymentKey, version_tag: (v) => v.versionTag, deleted,
    });
    this.requirements = new KeyedTable<Stored<DecisionRequirementsValue>>(db, 'decision_requirements', {
      decision_requirements_id: (v) => v.decisionRequirementsId, version: (v) => v.decisionRequirementsVersion, deleted,
    });
  }

  latestDecision(decisionId: string): Keyed<DecisionValue> | undefined {
    return this.decisions.where(`decision_id = ? AND ${LIVE} ORDER BY version DESC LIMIT 1`, decisionId)[0];
  }

  decision(decisionKey: number): DecisionValue | undefined {
    const decision = this.decisions.get(decisionKey);
    return decision && !decision.deleted ? decision : undefined;
  }

  /** The decision deployed with a process (binding type `deployment`). */
  decisionInDeployment(decisionId: string, deploymentKey: number): Keyed<DecisionValue> | undefined {
    return this.decisions.where(`decision_id = ? AND deployment_key = ? AND ${LIVE}`, decisionId, deploymentKey)[0];
  }

  /** The latest decision carrying a version tag (binding type `versionTag`). */
  latestDecisionTagged(decisionId: string, versionTag: string): Keyed<DecisionValue> | undefined {
    return this.decisions.where(`decision_id = ? AND version_tag = ? AND ${LIVE} ORDER BY version DESC LIMIT 1`, decisionId, versionTag)[0];
  }

  decisionsOf(decisionRequirementsKey: number): Keyed<DecisionValue>[] {
    return this.decisions.where(`decision_requirements_key = ? AND ${LIVE} ORDER BY key`, decisionRequirementsKey);
  }

  /** Versions count on after a deletion, as in Zeebe. */
  nextDecisionVersion(decisionId: string): number {
    return Number(this.decisions.scalar('SELECT MAX(version) FROM decisions WHERE decision_id = ?', decisionId) ?? 0) + 1;
  }

  latestRequirements(decisionRequirementsId: string): Keyed<DecisionRequirementsValue> | undefined {
    return this.requirements.where(`decision_requirements_id = ? AND ${LIVE} ORDER BY version DESC LIMIT 1`, decisionRequirementsId)[0];
  }

  requirementsOf(decisionRequirementsKey: number): DecisionRequirementsValue | undefined {
    const requirements = this.requirements.get(decisionRequirementsKey);
    return requirements && !requirements.deleted ? requirements : undefined;
  }

  allRequirements(): Keyed<DecisionRequirementsValue>[] {
    return this.requirements.where(`${LIVE} ORDER BY key`);
  }

  nextRequirementsVersion(decisionRequirementsId: string): number {
    return Number(this.requirements.scalar('SELECT MAX(version) FROM decision_requirements WHERE decision_requirements_id = ?', decisionRequirementsId) ?? 0) + 1;
  }

  graph(decisionRequirementsKey: number): ParsedDrg | undefined {
    return this.graphs.get(decisionRequirementsKey);
  }

  registerGraph(decisionRequirementsKey: number, drg: ParsedDrg): void {
    this.graphs.set(decisionRequirementsKey, drg);
  }

  forgetGraph(decisionRequirementsKey: number): void {
    this.graphs.delete(decisionRequirementsKey);
  }
}
