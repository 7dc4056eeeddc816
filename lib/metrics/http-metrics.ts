import type { Request, RequestHandler } from 'express';
import type { Registry } from 'prom-client';
import { secondsHistogram, secondsSince } from './histograms.js';

/** Route label of a request no route matched: raw paths would give one series per URL. */
const UNMATCHED_ROUTE = 'unmatched';

/**
 * Observes every request's duration by method, route pattern (`/orders/:id`, not the URL) and status.
 * Mount it before the routes.
 */
export function httpMetrics(registry: Registry): RequestHandler {
  const duration = secondsHistogram(registry, {
    name: 'http_server_request_duration_seconds',
    help: 'Duration of HTTP requests, from arrival to the last byte of the response',
    labelNames: ['method', 'route', 'status'],
  });
  return (request, response, next) => {
    const start = process.hrtime.bigint();
    response.once('finish', () => {
      duration.observe({ method: request.method, route: routeOf(request), status: String(response.statusCode) }, secondsSince(start));
    });
    next();
  };
}

function routeOf(request: Request): string {
  const path = (request.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${request.baseUrl}${path}` : UNMATCHED_ROUTE;
}
