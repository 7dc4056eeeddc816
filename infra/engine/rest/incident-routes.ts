/** Incidents: search and get from the search projection; resolution through the engine. */
import express from 'express';
import { incidents } from '../search/search-resources.js';
import { addSearchAndGet, operationBody, parseBody, pathKey, type RestContext } from './rest-context.js';

export function incidentRoutes(ctx: RestContext): express.Router {
  const router = express.Router();
  addSearchAndGet(router, ctx, { path: 'incidents', model: incidents, keyName: 'incidentKey' });
  /** The ops page's Retry: `PATCH /v2/jobs/{jobKey}` with retries first, then this. */
  router.post('/incidents/:incidentKey/resolution', async (req, res) => {
    parseBody(operationBody, req.body);
    await ctx.engine.resolveIncident(pathKey(req, 'incidentKey'));
    res.status(204).end();
  });
  return router;
}
