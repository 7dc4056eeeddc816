/**
 * Element instances: search and get from the search projection; their variables set through the
 * engine, as the gRPC `SetVariables` sets them.
 */
import express from 'express';
import { z } from 'zod';
import { elementInstances } from '../search/search-resources.js';
import { addSearchAndGet, operationReferenceSchema, parseBody, pathKey, variablesSchema, type RestContext } from './rest-context.js';
import { invalidArgument } from './rest-errors.js';

const setVariablesBody = z.strictObject({
  variables: variablesSchema.nullish(),
  local: z.boolean().nullish(),
  operationReference: operationReferenceSchema.optional(),
});

export function elementInstanceRoutes(ctx: RestContext): express.Router {
  const router = express.Router();
  addSearchAndGet(router, ctx, { path: 'element-instances', model: elementInstances, keyName: 'elementInstanceKey' });
  /** Zeebe's SetVariables: with `local` the values stay in this scope; without, each goes to the nearest scope that has its name, else the process instance. */
  router.put('/element-instances/:elementInstanceKey/variables', async (req, res) => {
    const elementInstanceKey = pathKey(req, 'elementInstanceKey');
    const body = parseBody(setVariablesBody, req.body);
    // Camunda's gateway refuses an update that sets nothing, in its own words (ElementRequestValidator).
    if (!body.variables || Object.keys(body.variables).length === 0) throw invalidArgument('No variables provided.');
    await ctx.engine.setVariables({ elementInstanceKey, variables: body.variables, local: body.local ?? false });
    res.status(204).end();
  });
  return router;
}
