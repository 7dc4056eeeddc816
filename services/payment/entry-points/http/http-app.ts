import express, { type ErrorRequestHandler, type Express } from 'express';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { httpMetrics, metricsHandler } from '../../../../lib/metrics/index.js';
import { PaymentRepository } from '../../data-access/payment-repository.js';
import { CardNotFoundError, InvalidCardError } from '../../domain/errors.js';
import { cardRoutes, type CardRoutesDependencies } from './card-routes.js';
import { paymentRoutes } from './payment-routes.js';
import { BadRequestError, problem, sendProblem, validationProblem } from './problem-details.js';
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
  app.use(express.json({ limit: BODY_LIMIT }));
  app.use(cardRoutes(deps));
  app.use(paymentRoutes(new PaymentRepository(deps.db), deps.opsTokens));
  app.use((request, response) => sendProblem(response, problem(404, 'Not found', `Expected a route for ${request.method} ${request.path}, but none exists`)));
  app.use(errorHandler(deps.logger));
  return app;
}

/**
 * Maps the domain's errors and body-parser's to problem details; anything else is a 500 without internals.
 * Request bodies are never logged: they may hold a card number.
 */
function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, request, response, _next) => {
    if (error instanceof BadRequestError) return sendProblem(response, error.problem);
    if (error instanceof InvalidCardError) return sendProblem(response, validationProblem(error.message, error.violations));
    if (error instanceof CardNotFoundError) return sendProblem(response, problem(404, 'Card not found', error.message));
    // Express rejects a path parameter that is not valid percent-encoding with a URIError.
    if (error instanceof URIError) return sendProblem(response, validationProblem('Expected a percent-encoded path, but it does not decode', [{ field: 'path', message: 'Expected valid percent-encoding' }]));
    const type = (error as { type?: unknown }).type;
    if (type === 'entity.too.large') return sendProblem(response, problem(413, 'Payload too large', `Expected a body of at most ${BODY_LIMIT}`));
    if (type === 'entity.parse.failed') return sendProblem(response, validationProblem('Expected a JSON body, but it does not parse', [{ field: 'body', message: 'Expected valid JSON' }]));
    if (typeof type === 'string' && (error as { status?: number }).status === 415) return sendProblem(response, problem(415, 'Unsupported media type', 'Expected application/json'));
    // Only the name and message: a driver error's other fields could echo query parameters.
    logger.error({ error: { name: (error as Error)?.name, message: (error as Error)?.message }, method: request.method, path: request.route?.path ?? 'unmatched' }, 'Request failed');
    sendProblem(response, problem(500, 'Internal error', 'The request could not be handled; it is safe to retry'));
  };
}
