/**
 * Batch operations (Camunda 8.8): resolve the incidents of, or cancel, every process instance a
 * filter matches. The matching instances are read from the search projection, as Camunda's engine
 * reads them from secondary storage, and handed to the engine as the operation's items; the engine
 * executes them in chunks, and the projection follows its progress.
 */
import express from 'express';
import { z } from 'zod';
import { BatchOperationType } from '../state/engine-state.js';
import { whereClause } from '../search/search-query.js';
import { batchOperationItems, batchOperations, processInstances } from '../search/search-resources.js';
import { processInstanceSearch } from './process-instance-routes.js';
import { addSearch, addSearchAndGet, operationReferenceSchema, parseBody, type RestContext } from './rest-context.js';

const batchBody = z.strictObject({
  filter: z.record(z.string(), z.unknown()),
  operationReference: operationReferenceSchema.optional(),
});

/**
 * The keys of the ACTIVE process instances the filter matches: only those have incidents to
 * resolve or can be cancelled, so Camunda ignores a state given in the filter, and so does this.
 */
function activeInstancesMatching(filter: Record<string, unknown>): { sql: string; params: unknown[] } {
  const query = processInstanceSearch({ filter: { ...filter, state: 'ACTIVE' } });
  const where = whereClause(processInstances, query);
  return { sql: `SELECT pi.key FROM ${processInstances.from} WHERE (${processInstances.where}) AND (${where.sql})`, params: where.params };
}

function itemKeys(ctx: RestContext, sql: string, params: unknown[]): string[] {
  return (ctx.search.prepare(sql).raw().all(...params) as [number][]).map(([key]) => String(key));
}

export function batchOperationRoutes(ctx: RestContext): express.Router {
  const router = express.Router();
  router.post('/process-instances/incident-resolution', async (req, res) => {
    const { filter } = parseBody(batchBody, req.body);
    const instances = activeInstancesMatching(filter);
    const keys = itemKeys(ctx, `SELECT i.key FROM incidents i WHERE i.state = 'ACTIVE' AND i.process_instance_key IN (${instances.sql}) ORDER BY i.key`, instances.params);
    res.json(await ctx.engine.createBatchOperation({ batchOperationType: BatchOperationType.RESOLVE_INCIDENT, itemKeys: keys }));
  });
  router.post('/process-instances/cancellation', async (req, res) => {
    const { filter } = parseBody(batchBody, req.body);
    const instances = activeInstancesMatching(filter);
    const keys = itemKeys(ctx, `${instances.sql} ORDER BY pi.key`, instances.params);
    res.json(await ctx.engine.createBatchOperation({ batchOperationType: BatchOperationType.CANCEL_PROCESS_INSTANCE, itemKeys: keys }));
  });
  addSearchAndGet(router, ctx, { path: 'batch-operations', model: batchOperations, keyName: 'batchOperationKey' });
  addSearch(router, ctx, { path: 'batch-operation-items', model: batchOperationItems });
  return router;
}
