/**
 * Process definitions: search, get, the BPMN XML, and element statistics (the ops page's heatmap)
 * over the instances of one definition.
 */
import express from 'express';
import { z } from 'zod';
import { getByKey, whereClause } from '../search/search-query.js';
import { processDefinitions, processInstances } from '../search/search-resources.js';
import { elementStatistics } from '../search/statistics-queries.js';
import { addSearchAndGet, addXmlGet, parseBody, pathKey, type RestContext } from './rest-context.js';
import { notFound } from './rest-errors.js';
import { processInstanceSearch } from './process-instance-routes.js';

const statisticsBody = z.strictObject({ filter: z.record(z.string(), z.unknown()).optional() });

export function processDefinitionRoutes(ctx: RestContext): express.Router {
  const router = express.Router();
  addSearchAndGet(router, ctx, { path: 'process-definitions', model: processDefinitions, keyName: 'processDefinitionKey' });
  addXmlGet(router, ctx, {
    path: 'process-definitions', keyName: 'processDefinitionKey', noun: processDefinitions.noun,
    sql: 'SELECT xml FROM process_definitions WHERE key = ? AND deleted = 0',
  });
  router.post('/process-definitions/:processDefinitionKey/statistics/element-instances', (req, res) => {
    const key = pathKey(req, 'processDefinitionKey');
    if (getByKey(ctx.search, processDefinitions, Number(key)) === undefined) throw notFound('process definition', key);
    const { filter } = parseBody(statisticsBody, req.body);
    const query = processInstanceSearch({ filter: filter ?? {} });
    const where = whereClause(processInstances, query);
    res.json({
      items: elementStatistics(ctx.search, {
        from: processInstances.from,
        where: { sql: `(${where.sql}) AND pi.process_definition_key = ?`, params: [...where.params, Number(key)] },
      }),
    });
  });
  return router;
}
