/**
 * What every router of the REST API is given, and the small helpers they share to read a request.
 */
import type { Request, Router } from 'express';
import { z } from 'zod';
import { DEFAULT_TENANT } from '../core/records.js';
import type { EmbeddedEngine } from '../embedded-engine.js';
import type { EngineApi } from '../engine-api.js';
import type { JobDispatcher } from '../gateway/job-dispatcher.js';
import type { SearchDb } from '../search/search-database.js';
import { getByKey, search, type ResourceModel, type SearchQuery } from '../search/search-query.js';
import { invalidArgument, notFound, validationProblem } from './rest-errors.js';
import { searchRequestParser } from './search-request.js';

export interface RestContext {
  /** Commands go through the engine API, exactly as the gRPC gateway sends them. */
  engine: EngineApi & Pick<EmbeddedEngine, 'onRecords'>;
  /** Queries read the search projection only, never the engine's runtime state. */
  search: SearchDb;
  jobs: JobDispatcher;
  /** Whether `/v2/clock` may move the engine's clock (`ZEEBE_CLOCK_CONTROLLED=true`). */
  clockControlled: boolean;
  /** Reported by the topology as the one broker. */
  host: string;
  grpcPort: number;
}

/**
 * The JSON body parsed with `schema`; an absent body is read as `{}`. Schemas are strict objects:
 * Camunda 8.8 refuses a field it does not know rather than ignoring it (a misspelt `variables`
 * would otherwise start an instance without them).
 * @throws RestProblemError (400) naming each bad field.
 */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw validationProblem(result.error);
  return result.data;
}

/**
 * A key from the path, as a decimal string.
 * @throws RestProblemError (400) when it is not one.
 */
export function pathKey(req: Request, name: string): string {
  const value = req.params[name];
  if (typeof value !== 'string' || !/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw invalidArgument(`Expected ${name} to be a key (a decimal number), but it was '${String(value)}'`);
  }
  return value;
}

/**
 * The item of `model` with the key in path parameter `name`.
 * @throws RestProblemError: 400 for a malformed key, 404 when no such item is in the projection.
 */
export function findByPathKey<Item>(ctx: RestContext, model: ResourceModel<Item>, req: Request, name: string): Item {
  const key = pathKey(req, name);
  const item = getByKey(ctx.search, model, Number(key));
  if (item === undefined) throw notFound(model.noun, key);
  return item;
}

/** Camunda's `operationReference`: the client's own number for a command, echoed nowhere here. */
export const operationReferenceSchema = z.number().int().positive();

/** The body of a command that takes nothing but an `operationReference` (cancellation, resolution). */
export const operationBody = z.strictObject({ operationReference: operationReferenceSchema.optional() });

/** Multi-tenancy is disabled: only the default tenant, or none. */
export const tenantSchema = z.literal([DEFAULT_TENANT, ''], { error: `Expected tenantId '${DEFAULT_TENANT}' (multi-tenancy is disabled)` });

/** A JSON object of variables, as Camunda's `variables` fields take them. */
export const variablesSchema = z.record(z.string(), z.unknown());

/** An int64 field (a duration or epoch millis): a number, or a decimal string as the typed client sends it. */
export const int64Schema = z
  .union([z.number().int(), z.string().regex(/^-?\d+$/, 'Expected an integer')])
  .transform((value) => Number(value));

/** `POST /v2/<path>/search` over the projection, for a resource Camunda lets one search but not get (jobs). */
export function addSearch<Item>(
  router: Router,
  ctx: RestContext,
  resource: { path: string; model: ResourceModel<Item>; parse?: (body: unknown) => SearchQuery },
): void {
  const parse = resource.parse ?? searchRequestParser(resource.model);
  router.post(`/${resource.path}/search`, (req, res) => {
    res.json(search(ctx.search, resource.model, parse(req.body)));
  });
}

/**
 * Camunda's pair of read endpoints for a resource: `POST /v2/<path>/search` and
 * `GET /v2/<path>/{key}` (answered with `getModel`'s item shape when given).
 */
export function addSearchAndGet<Item>(
  router: Router,
  ctx: RestContext,
  resource: { path: string; model: ResourceModel<Item>; keyName: string; getModel?: ResourceModel<Item>; parse?: (body: unknown) => SearchQuery },
): void {
  addSearch(router, ctx, resource);
  router.get(`/${resource.path}/:${resource.keyName}`, (req, res) => {
    res.json(findByPathKey(ctx, resource.getModel ?? resource.model, req, resource.keyName));
  });
}

/**
 * Camunda's `GET /v2/<path>/{key}/xml`: the resource's XML as `text/xml`, read by `sql` (which takes
 * the key as its one parameter and answers an `xml` column).
 * @throws RestProblemError: 400 for a malformed key, 404 when the projection holds no such resource.
 */
export function addXmlGet(router: Router, ctx: RestContext, resource: { path: string; keyName: string; noun: string; sql: string }): void {
  const query = ctx.search.prepare<[number], { xml: string }>(resource.sql);
  router.get(`/${resource.path}/:${resource.keyName}/xml`, (req, res) => {
    const key = pathKey(req, resource.keyName);
    const row = query.get(Number(key));
    if (!row) throw notFound(resource.noun, key);
    res.type('text/xml').send(row.xml);
  });
}
