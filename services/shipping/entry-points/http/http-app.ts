import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { httpMetrics, metricsHandler } from '../../../../lib/metrics/index.js';
import type { ShipmentRepository } from '../../data-access/shipment-repository.js';
import { errorHandler, notFoundRoute } from '../../../../lib/http/problem-details.js';
import type { OpsTokens } from '../../../../lib/http/ops-auth.js';
import { jsonBodies } from '../../../../lib/http/json-bodies.js';
import { securityHeaders } from '../../../../lib/http/security-headers.js';
import { shipmentRoutes } from './shipment-routes.js';

/** The API only reads; bodies are not expected. */
const BODY_LIMIT = '4kb';

export function createHttpApp(deps: { shipments: ShipmentRepository; logger: Logger; metrics?: Registry; opsTokens: OpsTokens }): Express {
  const { shipments, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  if (deps.metrics) app.use(httpMetrics(deps.metrics)).get('/metrics', metricsHandler(deps.metrics));
  app.use(securityHeaders);
  app.use(jsonBodies(BODY_LIMIT));
  app.use(shipmentRoutes(shipments, deps.opsTokens));
  app.use(notFoundRoute);
  app.use(errorHandler(logger, { bodyLimit: BODY_LIMIT }));
  return app;
}
