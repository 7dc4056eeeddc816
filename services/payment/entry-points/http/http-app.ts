import express, { type Express } from 'express';
import type { Registry } from 'prom-client';
import { httpMetrics, metricsHandler } from '../../../../lib/metrics/index.js';
import { PaymentRepository } from '../../data-access/payment-repository.js';
import { CardNotFoundError, InvalidCardError } from '../../domain/errors.js';
import { cardRoutes, type CardRoutesDependencies } from './card-routes.js';
import { paymentRoutes } from './payment-routes.js';
import { errorHandler, notFoundRoute, problem, validationProblem, type ProblemDetails } from '../../../../lib/http/problem-details.js';
import { jsonBodies } from '../../../../lib/http/json-bodies.js';
import { securityHeadersFor } from '../../../../lib/http/security-headers.js';
import { corsFor } from './cors.js';
import type { OpsTokens } from '../../../../lib/http/ops-auth.js';

/** Card details are a few dozen bytes. */
const BODY_LIMIT = '8kb';

export interface PaymentHttpDependencies extends CardRoutesDependencies {
  metrics?: Registry;
  /** Origins whose pages may call the card endpoints (the checkout page's). */
  corsOrigins: readonly string[];
  /** Who may list payments (`GET /payments`): an operator, never a customer. */
  opsTokens: OpsTokens;
}

export function createHttpApp(deps: PaymentHttpDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  if (deps.metrics) app.use(httpMetrics(deps.metrics)).get('/metrics', metricsHandler(deps.metrics));
  // no-store: card responses must never be cached.
  app.use(securityHeadersFor({ noStore: true }));
  app.use(corsFor(deps.corsOrigins));
  app.use(jsonBodies(BODY_LIMIT));
  app.use(cardRoutes(deps));
  app.use(paymentRoutes(new PaymentRepository(deps.db), deps.opsTokens));
  app.use(notFoundRoute);
  // Request bodies are never logged: they may hold a card number.
  app.use(errorHandler(deps.logger, { bodyLimit: BODY_LIMIT, domainProblem, internalErrorDetail: 'The request could not be handled; it is safe to retry' }));
  return app;
}

/** The domain's errors as problem details. */
function domainProblem(error: unknown): ProblemDetails | undefined {
  if (error instanceof InvalidCardError) return validationProblem(error.message, error.violations);
  if (error instanceof CardNotFoundError) return problem(404, 'Card not found', error.message);
  return undefined;
}
