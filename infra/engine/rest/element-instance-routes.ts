/** Element instances from the search projection: search and get. */
import express from 'express';
import { elementInstances } from '../search/search-resources.js';
import { addSearchAndGet, type RestContext } from './rest-context.js';

export function elementInstanceRoutes(ctx: RestContext): express.Router {
  const router = express.Router();
  addSearchAndGet(router, ctx, { path: 'element-instances', model: elementInstances, keyName: 'elementInstanceKey' });
  return router;
}
