import express, { type Express } from 'express';
import type { Registry } from 'prom-client';
import { httpMetrics, metricsHandler } from '../../../../lib/metrics/index.js';
import { stuckOrderRoutes, type StuckOrderRoutesDependencies } from './stuck-order-routes.js';
import { operatorOrderRoutes } from './operator-order-routes.js';
import { IdempotencyConflictError, InvalidOrderError, OrderNotCancellableError, OrderNotFoundError } from '../../domain/errors.js';
import { checkoutPagePolicy, checkoutPageRoutes } from './checkout-page.js';
import { devLoginRoutes } from './dev-login-routes.js';
import { orderEventsRoutes, type OrderEventsRoutesDependencies } from './order-events-routes.js';
import { orderRoutes, type OrderRoutesDependencies } from './order-routes.js';
import { productRoutes } from './product-routes.js';
import { errorHandler, notFoundRoute, problem, validationProblem, type ProblemDetails } from '../../../../lib/http/problem-details.js';
import { jsonBodies } from '../../../../lib/http/json-bodies.js';
import { securityHeadersFor } from '../../../../lib/http/security-headers.js';

/** An order of 100 lines with long addresses stays far below this. */
const BODY_LIMIT = '64kb';

export interface OrderHttpDependencies extends OrderRoutesDependencies, OrderEventsRoutesDependencies {
  metrics?: Registry;
  /** The operator endpoints under `/ops`: the stuck-order list and any customer's order. */
  operator?: StuckOrderRoutesDependencies;
  devLogin: boolean;
  paymentPublicUrl: string;
}

export interface OrderHttpApp {
  app: Express;
  /** Ends the open event streams, so the server can close. */
  closeStreams(): void;
}

export function createHttpApp(deps: OrderHttpDependencies): OrderHttpApp {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  if (deps.metrics) app.use(httpMetrics(deps.metrics)).get('/metrics', metricsHandler(deps.metrics));
  app.use(securityHeadersFor({ contentSecurityPolicy: checkoutPagePolicy(deps.paymentPublicUrl) }));
  app.use(jsonBodies(BODY_LIMIT));
  app.use(checkoutPageRoutes({ paymentPublicUrl: deps.paymentPublicUrl, devLogin: deps.devLogin }));
  if (deps.devLogin) app.use(devLoginRoutes(deps.auth, deps.logger.child({ component: 'dev-login' })));
  app.use(productRoutes(deps.products));
  if (deps.operator) {
    app.use(stuckOrderRoutes(deps.operator));
    app.use(operatorOrderRoutes({ ...deps, opsTokens: deps.operator.opsTokens }));
  }
  // Before the order routes: the event stream authenticates on its own (a stream token in the query).
  const events = orderEventsRoutes(deps);
  app.use(events.router);
  app.use(orderRoutes(deps));
  app.use(notFoundRoute);
  app.use(errorHandler(deps.logger, { bodyLimit: BODY_LIMIT, domainProblem, internalErrorDetail: 'The request could not be handled; it is safe to retry with the same Idempotency-Key' }));
  return { app, closeStreams: events.closeStreams };
}

/** The domain's errors as problem details. */
function domainProblem(error: unknown): ProblemDetails | undefined {
  if (error instanceof InvalidOrderError) return validationProblem(error.message, error.violations);
  if (error instanceof OrderNotFoundError) return problem(404, 'Order not found', error.message);
  if (error instanceof IdempotencyConflictError) return problem(409, 'Idempotency key reused', error.message, [{ field: 'Idempotency-Key', message: error.message }]);
  if (error instanceof OrderNotCancellableError) return problem(409, 'Order not cancellable', error.message);
  return undefined;
}
