/**
 * What the ops page draws on a diagram: per-element counts (Camunda's element statistics, the
 * heatmap) and the sequence flows an instance has taken.
 */
import type { SearchDb } from './search-database.js';
import type { SqlCondition } from './search-query.js';

/** Camunda 8.8's `ProcessElementStatisticsResult`. */
export interface ElementStatistics {
  elementId: string;
  /** Active instances without an incident; those with one are counted in `incidents`. */
  active: number;
  canceled: number;
  incidents: number;
  completed: number;
}

export interface SequenceFlow {
  processInstanceKey: string;
  processDefinitionKey: string;
  processDefinitionId: string;
  elementId: string;
  sequenceFlowId: string;
  tenantId: string;
}

/** The containers and flows are not drawn as elements with counts. */
const COUNTED = "ei.type NOT IN ('PROCESS', 'SEQUENCE_FLOW', 'MULTI_INSTANCE_BODY')";

/** Counts per element over the element instances of the process instances matching `instances`. */
export function elementStatistics(db: SearchDb, instances: { from: string; where: SqlCondition }): ElementStatistics[] {
  const rows = db
    .prepare(
      `SELECT ei.element_id AS elementId,
        SUM(ei.state = 'ACTIVE' AND ei.incident_key IS NULL) AS active,
        SUM(ei.state = 'TERMINATED') AS canceled,
        SUM(ei.state = 'ACTIVE' AND ei.incident_key IS NOT NULL) AS incidents,
        SUM(ei.state = 'COMPLETED') AS completed
      FROM element_instances ei
      WHERE ${COUNTED} AND ei.process_instance_key IN (SELECT pi.key FROM ${instances.from} WHERE ${instances.where.sql})
      GROUP BY ei.element_id ORDER BY ei.element_id`,
    )
    .all(...instances.where.params) as ElementStatistics[];
  return rows;
}

export function sequenceFlows(db: SearchDb, processInstanceKey: number): SequenceFlow[] {
  const rows = db
    .prepare<[number], { process_instance_key: number; process_definition_key: number; bpmn_process_id: string; element_id: string; tenant_id: string }>(
      'SELECT * FROM sequence_flows WHERE process_instance_key = ? ORDER BY element_id',
    )
    .all(processInstanceKey);
  return rows.map((row) => ({
    processInstanceKey: String(row.process_instance_key),
    processDefinitionKey: String(row.process_definition_key),
    processDefinitionId: row.bpmn_process_id,
    elementId: row.element_id,
    sequenceFlowId: `${row.process_instance_key}_${row.element_id}`,
    tenantId: row.tenant_id,
  }));
}
