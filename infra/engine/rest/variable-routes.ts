/** Variables from the search projection: search (values truncated as Camunda's) and get (full value). */
import express from 'express';
import { fullVariables, variables } from '../search/search-resources.js';
import { addSearchAndGet, type RestContext } from './rest-context.js';

export function variableRoutes(ctx: RestContext): express.Router {
  const router = express.Router();
  addSearchAndGet(router, ctx, { path: 'variables', model: variables, getModel: fullVariables, keyName: 'variableKey' });
  return router;
}
