/**
 * The embedded engine's REST API, shaped as Camunda 8.8's Orchestration Cluster API (`/v2`), so
 * one client (`@camunda8/orchestration-cluster-api`, `@camunda8/sdk`'s CamundaRestClient) works
 * against both. Commands go to the engine API; searches and reads go to the search projection.
 */
import type { Server } from 'node:http';
import express from 'express';
import type { Logger } from 'pino';
import { boundPort, closeServer, listen } from '../../../lib/http/server.js';
import { JobDispatcher } from '../gateway/job-dispatcher.js';
import type { SearchDb } from '../search/search-database.js';
import { clockRoutes } from './clock-routes.js';
import { decisionRoutes } from './decision-routes.js';
import { deploymentRoutes } from './deployment-routes.js';
import { elementInstanceRoutes } from './element-instance-routes.js';
import { incidentRoutes } from './incident-routes.js';
import { batchOperationRoutes } from './batch-operation-routes.js';
import { jobRoutes } from './job-routes.js';
import { messageRoutes } from './message-routes.js';
import { processDefinitionRoutes } from './process-definition-routes.js';
import { processInstanceRoutes } from './process-instance-routes.js';
import { requireToken, type RestTokens } from './rest-auth.js';
import type { RestContext } from './rest-context.js';
import { restErrorHandler, sendProblem } from './rest-errors.js';
import { topologyRoutes } from './topology-routes.js';
import { variableRoutes } from './variable-routes.js';

export interface RestServerOptions {
  engine: RestContext['engine'];
  search: SearchDb;
  host: string;
  /** 0 picks a free port; {@link RestServer.port} tells which. */
  port: number;
  tokens: RestTokens;
  clockControlled: boolean;
  /** The gRPC gateway's port, reported by the topology. */
  grpcPort: number;
  logger: Logger;
}

export interface RestServer {
  readonly port: number;
  close(): Promise<void>;
}

/** Bodies carry variables; Camunda's default limit for a request is 4 MB. */
const BODY_LIMIT = '4mb';

const routers = [
  topologyRoutes, deploymentRoutes, processDefinitionRoutes, processInstanceRoutes, elementInstanceRoutes,
  incidentRoutes, variableRoutes, jobRoutes, messageRoutes, clockRoutes, decisionRoutes, batchOperationRoutes,
];

/**
 * Starts listening.
 * @throws when the port cannot be bound.
 */
export async function startRestServer(options: RestServerOptions): Promise<RestServer> {
  const logger = options.logger.child({ component: 'rest-server' });
  const jobs = new JobDispatcher(options.engine, logger);
  const ctx: RestContext = {
    engine: options.engine, search: options.search, jobs, clockControlled: options.clockControlled,
    host: options.host, grpcPort: options.grpcPort,
  };
  const app = express();
  app.disable('x-powered-by');
  app.use(requireToken(options.tokens));
  app.use(express.json({ limit: BODY_LIMIT }));
  const v2 = express.Router();
  for (const routes of routers) v2.use(routes(ctx));
  app.use('/v2', v2);
  app.use((req, res) => sendProblem(req, res, { status: 404, title: 'NOT_FOUND', detail: `Expected a route for ${req.method} ${req.path}, but none exists` }));
  app.use(restErrorHandler(logger));
  let server: Server;
  try {
    server = await listen(app, options.port, options.host);
  } catch (error) {
    jobs.close();
    throw error;
  }
  const port = boundPort(server);
  logger.info({ host: options.host, port }, 'REST API listening');
  return {
    port,
    close: async () => {
      // Pending long polls are answered first, so the server has no request left to wait for.
      jobs.close();
      await closeServer(server);
    },
  };
}
