import type { RequestHandler } from 'express';
import type { Registry } from 'prom-client';

/** `GET /metrics` in Prometheus' text format. */
export function metricsHandler(registry: Registry): RequestHandler {
  return async (_request, response) => {
    const body = await registry.metrics();
    response.type(registry.contentType).send(body);
  };
}
