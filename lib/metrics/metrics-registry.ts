import { Registry, collectDefaultMetrics } from 'prom-client';

export interface MetricsRegistryOptions {
  /** Node's process metrics (CPU, memory, event loop lag, GC); on unless a test wants a bare registry. */
  defaultMetrics?: boolean;
}

/**
 * A registry of one process (or one service inside a test process), never prom-client's global one:
 * tests start several services in one process, and each must answer `/metrics` with its own numbers.
 * Every series carries `service`, so one Prometheus job can scrape all of Orderflow.
 */
export function createMetricsRegistry(service: string, options: MetricsRegistryOptions = {}): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  return registry;
}
