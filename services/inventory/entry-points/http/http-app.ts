import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { StockRepository } from '../../data-access/stock-repository.js';
import { errorHandler, notFoundRoute } from '../../../../lib/http/problem-details.js';
import { securityHeaders } from '../../../../lib/http/security-headers.js';
import { stockRoutes } from './stock-routes.js';

/** `PUT /stock/:sku` carries one number. */
const BODY_LIMIT = '4kb';

export function createHttpApp({ stock, logger }: { stock: StockRepository; logger: Logger }): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(securityHeaders);
  app.use(express.json({ limit: BODY_LIMIT }));
  app.use(stockRoutes(stock));
  app.use(notFoundRoute);
  app.use(errorHandler(logger, BODY_LIMIT));
  return app;
}
