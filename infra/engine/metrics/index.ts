/** Prometheus metrics of a running engine: attach once per engine, serve the registry on the management port. */
import type { Registry } from 'prom-client';
import { createMetricsRegistry } from '../../../lib/metrics/index.js';
import type { EmbeddedEngine } from '../embedded-engine.js';
import { EngineMetrics } from './engine-metrics.js';

export { EngineMetrics } from './engine-metrics.js';

export interface AttachedEngineMetrics {
  readonly registry: Registry;
  /** Stops observing the engine's records. */
  detach(): void;
}

/**
 * Observes every batch the engine commits. The gauges start from the store, so a restarted engine
 * reports the instances and incidents it still holds.
 */
export function attachEngineMetrics(engine: EmbeddedEngine, registry: Registry = createMetricsRegistry('engine')): AttachedEngineMetrics {
  const metrics = new EngineMetrics(registry);
  const db = engine.state.db;
  const active = db
    .prepare<[], { id: string; n: number }>(`SELECT json_extract(record, '$.bpmnProcessId') AS id, COUNT(*) AS n FROM element_instances WHERE flow_scope_key = -1 GROUP BY id`)
    .all();
  const incidents = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM incidents').get()?.n ?? 0;
  metrics.seed(new Map(active.map((row) => [row.id, row.n])), incidents);
  const detach = engine.onRecords((records) => metrics.observe(records));
  return { registry, detach };
}
