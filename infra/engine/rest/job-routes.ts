/**
 * Jobs: activation (long polling through the same {@link JobDispatcher} logic as the gRPC
 * gateway), completion, failure, BPMN error and update of retries or timeout through the engine;
 * search from the search projection (Camunda 8.8 has no get of one job).
 */
import express from 'express';
import { z } from 'zod';
import { DEFAULT_TENANT } from '../core/records.js';
import type { ActivatedJob } from '../engine-api.js';
import { DEFAULT_LONG_POLL_MS } from '../gateway/job-rpcs.js';
import { requireAtLeast, requireNonBlank } from '../gateway/request-validation.js';
import { jobs } from '../search/search-resources.js';
import { addSearch, int64Schema, operationReferenceSchema, parseBody, pathKey, variablesSchema, type RestContext } from './rest-context.js';
import { invalidArgument } from './rest-errors.js';

const activationBody = z.strictObject({
  type: z.string(),
  worker: z.string().optional(),
  timeout: int64Schema,
  maxJobsToActivate: z.number().int(),
  fetchVariable: z.array(z.string()).optional(),
  requestTimeout: int64Schema.optional(),
  tenantIds: z.array(z.literal(DEFAULT_TENANT, { error: `Expected tenant '${DEFAULT_TENANT}' (multi-tenancy is disabled)` })).optional(),
});
const completionBody = z.strictObject({ variables: variablesSchema.nullish() });
const failureBody = z.strictObject({
  retries: z.number().int().nonnegative().optional(),
  errorMessage: z.string().optional(),
  retryBackOff: int64Schema.optional(),
  variables: variablesSchema.nullish(),
});
const errorBody = z.strictObject({ errorCode: z.string().min(1), errorMessage: z.string().nullish(), variables: variablesSchema.nullish() });
const updateBody = z.strictObject({
  changeset: z.strictObject({ retries: z.number().int().nullish(), timeout: int64Schema.nullish() }),
  operationReference: operationReferenceSchema.optional(),
});

/** Camunda 8.8's `ActivatedJobResult`: headers and variables as objects, keys as strings. */
function toActivatedJobResult(job: ActivatedJob) {
  return {
    jobKey: job.key,
    type: job.type,
    processInstanceKey: job.processInstanceKey,
    processDefinitionId: job.bpmnProcessId,
    processDefinitionVersion: job.processDefinitionVersion,
    processDefinitionKey: job.processDefinitionKey,
    elementId: job.elementId,
    elementInstanceKey: job.elementInstanceKey,
    customHeaders: job.customHeaders,
    worker: job.worker,
    retries: job.retries,
    deadline: job.deadline,
    variables: job.variables,
    tenantId: job.tenantId,
    kind: 'BPMN_ELEMENT',
    listenerEventType: 'UNSPECIFIED',
  };
}

export function jobRoutes(ctx: RestContext): express.Router {
  const router = express.Router();
  addSearch(router, ctx, { path: 'jobs', model: jobs });
  router.post('/jobs/activation', async (req, res) => {
    const body = parseBody(activationBody, req.body);
    const activation = {
      type: requireNonBlank(body.type, 'type'),
      worker: body.worker ?? '',
      timeoutMs: requireAtLeast(body.timeout, 1, 'timeout'),
      maxJobsToActivate: requireAtLeast(body.maxJobsToActivate, 1, 'maxJobsToActivate'),
      fetchVariables: body.fetchVariable ?? [],
    };
    const gone = new AbortController();
    res.once('close', () => gone.abort());
    const requestTimeout = body.requestTimeout ?? 0;
    const jobs = await ctx.jobs.poll(activation, { longPollMs: requestTimeout === 0 ? DEFAULT_LONG_POLL_MS : requestTimeout, signal: gone.signal });
    res.json({ jobs: jobs.map(toActivatedJobResult) });
  });
  router.post('/jobs/:jobKey/completion', async (req, res) => {
    const body = parseBody(completionBody, req.body);
    await ctx.engine.completeJob(pathKey(req, 'jobKey'), body.variables ?? {});
    res.status(204).end();
  });
  router.post('/jobs/:jobKey/failure', async (req, res) => {
    const body = parseBody(failureBody, req.body);
    await ctx.engine.failJob({
      jobKey: pathKey(req, 'jobKey'),
      retries: body.retries ?? 0,
      ...(body.errorMessage !== undefined ? { errorMessage: body.errorMessage } : {}),
      retryBackOffMs: body.retryBackOff ?? 0,
      ...(body.variables ? { variables: body.variables } : {}),
    });
    res.status(204).end();
  });
  router.post('/jobs/:jobKey/error', async (req, res) => {
    const body = parseBody(errorBody, req.body);
    await ctx.engine.throwError({
      jobKey: pathKey(req, 'jobKey'),
      errorCode: body.errorCode,
      ...(body.errorMessage ? { errorMessage: body.errorMessage } : {}),
      ...(body.variables ? { variables: body.variables } : {}),
    });
    res.status(204).end();
  });
  router.patch('/jobs/:jobKey', async (req, res) => {
    const jobKey = pathKey(req, 'jobKey');
    const { changeset } = parseBody(updateBody, req.body);
    if (changeset.retries == null && changeset.timeout == null) {
      throw invalidArgument('Expected changeset.retries or changeset.timeout, but neither was given');
    }
    if (changeset.retries != null) await ctx.engine.updateJobRetries(jobKey, requireAtLeast(changeset.retries, 1, 'changeset.retries'));
    if (changeset.timeout != null) await ctx.engine.updateJobTimeout(jobKey, requireAtLeast(changeset.timeout, 1, 'changeset.timeout'));
    res.status(204).end();
  });
  return router;
}
