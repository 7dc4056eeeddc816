/**
 * Process instances: create (optionally awaiting completion), cancel, modify, and from the search
 * projection search, get, the sequence flows taken and per-element statistics.
 */
import express from 'express';
import { z } from 'zod';
import { DEFAULT_TENANT } from '../core/records.js';
import type { CreateProcessInstanceRequest, CreatedProcessInstance, Variables } from '../engine-api.js';
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../gateway/command-rpcs.js';
import { FieldKind } from '../search/search-query.js';
import { elementInstances, incidents, instanceContentConditions, jobs, processInstances } from '../search/search-resources.js';
import { elementStatistics, sequenceFlows } from '../search/statistics-queries.js';
import { addSearchAndGet, findByPathKey, int64Schema, operationBody, operationReferenceSchema, parseBody, pathKey, variablesSchema, type RestContext } from './rest-context.js';
import { invalidArgument } from './rest-errors.js';
import { filterPropertySchema, keySchema, searchRequestParser } from './search-request.js';

const tenantSchema = z.literal([DEFAULT_TENANT, ''], { error: `Expected tenantId '${DEFAULT_TENANT}' (multi-tenancy is disabled)` });

const creationBody = z.strictObject({
  processDefinitionId: z.string().min(1).optional(),
  processDefinitionVersion: z.number().int().min(-1).optional(),
  processDefinitionKey: keySchema.optional(),
  variables: variablesSchema.nullish(),
  tenantId: tenantSchema.optional(),
  startInstructions: z.array(z.strictObject({ elementId: z.string().min(1) })).optional(),
  awaitCompletion: z.boolean().optional(),
  fetchVariables: z.array(z.string()).optional(),
  requestTimeout: int64Schema.optional(),
  operationReference: operationReferenceSchema.optional(),
});

/** Camunda 8.8's modification: `ancestorElementInstanceKey` is a key, or -1 to let the engine find the flow scope's instance. */
const modificationBody = z.strictObject({
  operationReference: operationReferenceSchema.optional(),
  activateInstructions: z.array(z.strictObject({
    elementId: z.string().min(1),
    variableInstructions: z.array(z.strictObject({ variables: variablesSchema, scopeId: z.string().optional() })).optional(),
    ancestorElementInstanceKey: z.union([keySchema, z.literal([-1, '-1']).transform(() => -1)]).optional(),
  })).optional(),
  terminateInstructions: z.array(z.strictObject({ elementInstanceKey: keySchema })).optional(),
});

/**
 * Camunda 8.8's process instance search, with `$or` groups and the filters that look into the
 * instance: `variables`, its element instances (`elementId`, `elementInstanceState`,
 * `hasElementInstanceIncident`), an open incident's `errorMessage`, and `hasRetriesLeft`.
 */
export const processInstanceSearch = searchRequestParser(processInstances, {
  or: true,
  extension: {
    shape: {
      variables: z.array(z.strictObject({ name: z.string().min(1), value: filterPropertySchema({ sql: 'v.value', kind: FieldKind.STRING }) })).optional(),
      elementId: filterPropertySchema(elementInstances.fields.elementId!).optional(),
      elementInstanceState: filterPropertySchema(elementInstances.fields.state!).optional(),
      hasElementInstanceIncident: filterPropertySchema(elementInstances.fields.hasIncident!).optional(),
      errorMessage: filterPropertySchema(incidents.fields.errorMessage!).optional(),
      hasRetriesLeft: filterPropertySchema(jobs.fields.hasFailedWithRetriesLeft!).optional(),
    },
    conditions: instanceContentConditions,
  },
});

function toCreateRequest(body: z.output<typeof creationBody>): CreateProcessInstanceRequest {
  if (body.processDefinitionKey === undefined && body.processDefinitionId === undefined) {
    throw invalidArgument('Expected either a processDefinitionKey or a processDefinitionId, but neither was given');
  }
  const startInstructions = (body.startInstructions ?? []).map((instruction) => instruction.elementId);
  return {
    ...(body.processDefinitionKey !== undefined
      ? { processDefinitionKey: String(body.processDefinitionKey) }
      : { bpmnProcessId: body.processDefinitionId!, version: body.processDefinitionVersion ?? -1 }),
    variables: body.variables ?? {},
    ...(startInstructions.length ? { startInstructions } : {}),
  };
}

function creationResult(instance: CreatedProcessInstance, variables: Variables) {
  return {
    processDefinitionId: instance.bpmnProcessId,
    processDefinitionVersion: instance.version,
    processDefinitionKey: instance.processDefinitionKey,
    processInstanceKey: instance.processInstanceKey,
    tenantId: instance.tenantId,
    variables,
  };
}

export function processInstanceRoutes(ctx: RestContext): express.Router {
  const router = express.Router();
  router.post('/process-instances', async (req, res) => {
    const body = parseBody(creationBody, req.body);
    const request = toCreateRequest(body);
    if (!body.awaitCompletion) {
      res.json(creationResult(await ctx.engine.createProcessInstance(request), {}));
      return;
    }
    const requestTimeoutMs = body.requestTimeout || DEFAULT_REQUEST_TIMEOUT_MS;
    const result = await ctx.engine.createProcessInstanceWithResult(request, { requestTimeoutMs, fetchVariables: body.fetchVariables ?? [] });
    res.json(creationResult(result, result.variables));
  });
  addSearchAndGet(router, ctx, { path: 'process-instances', model: processInstances, keyName: 'processInstanceKey', parse: processInstanceSearch });
  router.post('/process-instances/:processInstanceKey/cancellation', async (req, res) => {
    parseBody(operationBody, req.body);
    await ctx.engine.cancelProcessInstance(pathKey(req, 'processInstanceKey'));
    res.status(204).end();
  });
  router.post('/process-instances/:processInstanceKey/modification', async (req, res) => {
    const body = parseBody(modificationBody, req.body);
    await ctx.engine.modifyProcessInstance({
      processInstanceKey: pathKey(req, 'processInstanceKey'),
      activateInstructions: (body.activateInstructions ?? []).map((instruction) => ({
        elementId: instruction.elementId,
        ancestorElementInstanceKey: String(instruction.ancestorElementInstanceKey ?? -1),
        variableInstructions: instruction.variableInstructions ?? [],
      })),
      terminateInstructions: (body.terminateInstructions ?? []).map((instruction) => ({ elementInstanceKey: String(instruction.elementInstanceKey) })),
    });
    res.status(204).end();
  });
  router.get('/process-instances/:processInstanceKey/sequence-flows', (req, res) => {
    const key = (findByPathKey(ctx, processInstances, req, 'processInstanceKey') as { processInstanceKey: string }).processInstanceKey;
    res.json({ items: sequenceFlows(ctx.search, Number(key)) });
  });
  router.get('/process-instances/:processInstanceKey/statistics/element-instances', (req, res) => {
    const key = (findByPathKey(ctx, processInstances, req, 'processInstanceKey') as { processInstanceKey: string }).processInstanceKey;
    res.json({ items: elementStatistics(ctx.search, { from: 'process_instances pi', where: { sql: 'pi.key = ?', params: [Number(key)] } }) });
  });
  return router;
}
