import express from 'express';
import type { Registry } from 'prom-client';
import { boundPort, closeServer, listen } from '../http/server.js';
import { metricsHandler } from './metrics-handler.js';

export interface MetricsServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * An HTTP server with only `GET /metrics`, for a process that serves nothing else over HTTP.
 * @throws when the port cannot be bound.
 */
export async function startMetricsServer(options: { registry: Registry; host: string; port: number }): Promise<MetricsServer> {
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', metricsHandler(options.registry));
  const server = await listen(app, options.port, options.host);
  return { port: boundPort(server), close: () => closeServer(server) };
}
