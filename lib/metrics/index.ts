export * from './metrics-registry.js';
export * from './metrics-handler.js';
export * from './histograms.js';
export * from './http-metrics.js';
export * from './domain-metrics.js';
export * from './metrics-server.js';
