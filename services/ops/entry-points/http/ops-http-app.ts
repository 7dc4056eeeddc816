import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { errorHandler, notFoundRoute } from '../../../../lib/http/problem-details.js';
import { ApiClient, apiProxyRouter, PROXY_BODY_LIMIT } from './api-proxy.js';
import { sessionRouter } from './session-route.js';
import { projectPath } from '../../../../lib/project/project-root.js';

const publicDir = projectPath('services', 'ops', 'public');
const bpmnJsDist = projectPath('node_modules', 'bpmn-js', 'dist');

export interface OpsHttpAppOptions {
  apiUrl: string;
  /** Base URL of the Order service, whose `/ops/orders` and `/ops/stuck-orders` the page shows. */
  orderUrl: string;
  apiTimeoutMs: number;
  logger: Logger;
}

/**
 * The page's own origin serves everything it loads: its modules, bpmn-js's viewer bundle and CSS,
 * and the API under `/v2`. bpmn-js draws with inline styles, hence `'unsafe-inline'` for styles only.
 */
export function createOpsHttpApp({ apiUrl, orderUrl, apiTimeoutMs, logger }: OpsHttpAppOptions): Express {
  const client = new ApiClient({ apiUrl, name: 'the orchestration cluster API', timeoutMs: apiTimeoutMs, logger });
  const orderService = new ApiClient({ apiUrl: orderUrl, name: 'the Order service', timeoutMs: apiTimeoutMs, logger });
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      strictTransportSecurity: false,
    }),
  );
  app.use('/v2', apiProxyRouter(client, logger));
  app.use(['/ops/orders', '/ops/stuck-orders'], apiProxyRouter(orderService, logger));
  app.use(sessionRouter(client, logger));
  app.use('/vendor/bpmn-js', express.static(bpmnJsDist, { index: false, fallthrough: true }));
  app.use(express.static(publicDir, { index: 'index.html' }));
  app.use(notFoundRoute);
  app.use(errorHandler(logger, { bodyLimit: PROXY_BODY_LIMIT }));
  return app;
}
