import express, { type ErrorRequestHandler, type Express } from 'express';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { httpMetrics, metricsHandler } from '../../../../lib/metrics/index.js';
import { stuckOrderRoutes, type StuckOrderRoutesDependencies } from './stuck-order-routes.js';
import { IdempotencyConflictError, InvalidOrderError, OrderNotCancellableError, OrderNotFoundError } from '../../domain/errors.js';
import { checkoutPagePolicy, checkoutPageRoutes } from './checkout-page.js';
import { devLoginRoutes } from './dev-login-routes.js';
import { orderEventsRoutes, type OrderEventsRoutesDependencies } from './order-events-routes.js';
import { orderRoutes, type OrderRoutesDependencies } from './order-routes.js';
import { productRoutes } from './product-routes.js';
import { sendProblem, validationProblem, type ProblemDetails } from './problem-details.js';
import { securityHeadersFor } from '../../../../lib/http/security-headers.js';

/** An order of 100 lines with long addresses stays far below this. */
const BODY_LIMIT = '64kb';

export interface OrderHttpDependencies extends OrderRoutesDependencies, OrderEventsRoutesDependencies {
  metrics?: Registry;
  stuckOrders?: StuckOrderRoutesDependencies;
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
  app.use(express.json({ limit: BODY_LIMIT }));
  app.use(checkoutPageRoutes({ paymentPublicUrl: deps.paymentPublicUrl, devLogin: deps.devLogin }));
  if (deps.devLogin) app.use(devLoginRoutes(deps.auth, deps.logger.child({ component: 'dev-login' })));
  app.use(productRoutes(deps.products));
  if (deps.stuckOrders) app.use(stuckOrderRoutes(deps.stuckOrders));
  // Before the order routes: the event stream authenticates on its own (a stream token in the query).
  const events = orderEventsRoutes(deps);
  app.use(events.router);
  app.use(orderRoutes(deps));
  app.use((request, response) => sendProblem(response, problem(404, 'Not found', `Expected a route for ${request.method} ${request.path}, but none exists`)));
  app.use(errorHandler(deps.logger));
  return { app, closeStreams: events.closeStreams };
}

function problem(status: number, title: string, detail: string): ProblemDetails {
  return { type: `https://orderflow.dev/problems/${title.toLowerCase().replaceAll(' ', '-')}`, title, status, detail };
}

/** Maps the domain's errors and body-parser's to problem details; anything else is a 500 without internals. */
function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, request, response, _next) => {
    if (error instanceof InvalidOrderError) return sendProblem(response, validationProblem(error.message, error.violations));
    if (error instanceof OrderNotFoundError) return sendProblem(response, problem(404, 'Order not found', error.message));
    if (error instanceof IdempotencyConflictError) {
      return sendProblem(response, { ...problem(409, 'Idempotency key reused', error.message), errors: [{ field: 'Idempotency-Key', message: error.message }] });
    }
    if (error instanceof OrderNotCancellableError) return sendProblem(response, problem(409, 'Order not cancellable', error.message));
    // Express rejects a path parameter that is not valid percent-encoding with a URIError.
    if (error instanceof URIError) return sendProblem(response, validationProblem('Expected a percent-encoded path, but it does not decode', [{ field: 'path', message: 'Expected valid percent-encoding' }]));
    const type = (error as { type?: unknown }).type;
    if (type === 'entity.too.large') return sendProblem(response, problem(413, 'Payload too large', `Expected a body of at most ${BODY_LIMIT}`));
    if (type === 'entity.parse.failed') return sendProblem(response, validationProblem('Expected a JSON body, but it does not parse', [{ field: 'body', message: 'Expected valid JSON' }]));
    if (typeof type === 'string' && (error as { status?: number }).status === 415) {
      return sendProblem(response, problem(415, 'Unsupported media type', 'Expected application/json'));
    }
    logger.error({ err: error, method: request.method, path: request.path }, 'Request failed');
    sendProblem(response, problem(500, 'Internal error', 'The request could not be handled; it is safe to retry with the same Idempotency-Key'));
  };
}
