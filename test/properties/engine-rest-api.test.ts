/**
 * The embedded engine's REST API (Camunda 8.8 `/v2`) under random requests: search bodies of any
 * shape, malformed creations and publications, random keys and credentials. The answer is never a
 * 5xx: a search is answered or refused 4xx as problem+json, and a refused command leaves no
 * process instance and no message behind.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TENANT, ValueType, type EngineRecord } from '../../infra/engine/core/records.js';
import type { EngineServer } from '../../infra/engine/engine-server.js';
import { elementInstances, incidents, jobs, processDefinitions, processInstances, variables } from '../../infra/engine/search/search-resources.js';
import { deployOpsOrder, OPS_TOKEN, restAddress, restClient, startRestEngine } from '../engine/rest/rest-test-support.js';
import { badAuthorization, refusedTokens } from './support/bad-credentials.js';
import { garbageBody, pathSegment } from './support/garbage-bodies.js';
import { expectProblem, runs, send, type RawRequest } from './support/raw-http.js';

/** The REST API's express.json limit is 4 MB; past-the-limit bodies are kept near it to spare the machine. */
const LIMIT_BYTES = 4 * 1024 * 1024;

let server: EngineServer;
let records: EngineRecord[] = [];
let unsubscribe: () => void;

beforeAll(async () => {
  server = await startRestEngine();
  await deployOpsOrder(restClient(server));
  unsubscribe = server.engine.onRecords((batch) => void records.push(...batch));
});

afterAll(async () => {
  unsubscribe?.();
  await server?.close();
});

const bearer = { authorization: `Bearer ${OPS_TOKEN}`, 'content-type': 'application/json' };
const post = (path: string, body: string | Uint8Array, contentType = 'application/json', description?: string): RawRequest => ({
  method: 'POST', path, headers: { ...bearer, 'content-type': contentType }, body, ...(description ? { description } : {}),
});

const resources = [
  { path: 'process-instances', model: processInstances },
  { path: 'process-definitions', model: processDefinitions },
  { path: 'element-instances', model: elementInstances },
  { path: 'incidents', model: incidents },
  { path: 'variables', model: variables },
  { path: 'jobs', model: jobs },
] as const;
const operators = ['$eq', '$neq', '$exists', '$in', '$notIn', '$gt', '$gte', '$lt', '$lte', '$like', '$or'] as const;

/** Search bodies built from the resource's own fields, random names and random values, so most reach the filter parser. */
function searchBody(fields: readonly string[]): fc.Arbitrary<unknown> {
  const field = fc.oneof({ arbitrary: fc.constantFrom(...fields), weight: 4 }, { arbitrary: fc.string({ maxLength: 12 }), weight: 1 });
  const operatorObject = fc.dictionary(fc.oneof(fc.constantFrom(...operators), fc.string({ maxLength: 6 })), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });
  const value = fc.oneof(fc.jsonValue({ maxDepth: 2 }), operatorObject, fc.integer().map(String), fc.date({ noInvalidDate: true }).map((date) => date.toISOString()));
  const filter = fc.dictionary(field, value, { maxKeys: 4 });
  const sort = fc.array(fc.record({ field, order: fc.oneof(fc.constantFrom('ASC', 'DESC', 'asc', 'sideways'), fc.jsonValue({ maxDepth: 1 })) }, { requiredKeys: [] }), { maxLength: 3 });
  const page = fc.record(
    { from: fc.oneof(fc.integer({ min: -5, max: 20_000 }), fc.jsonValue({ maxDepth: 1 })), limit: fc.oneof(fc.integer({ min: -5, max: 20_000 }), fc.jsonValue({ maxDepth: 1 })), after: fc.oneof(fc.string(), fc.base64String()), before: fc.base64String() },
    { requiredKeys: [] },
  );
  return fc.oneof(
    { arbitrary: fc.record({ filter, sort, page }, { requiredKeys: [] }), weight: 8 },
    { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 2 },
  );
}

const newRecords = (from: number, valueType: string, intent: string) => records.slice(from).filter((record) => record.valueType === valueType && record.intent === intent);

describe('searches', () => {
  it('When a search body is random, then it is answered with a page or refused 4xx as problem+json, never a 5xx', async () => {
    const searches = fc.oneof(...resources.map(({ path, model }) => searchBody(Object.keys(model.fields)).map((body) => ({ path: `/v2/${path}/search`, body }))));

    await fc.assert(
      fc.asyncProperty(searches, async ({ path, body }) => {
        const request = post(path, JSON.stringify(body));
        const response = await send(restAddress(server), request);
        if (response.status === 200) return void expect(response.json, response.text).toMatchObject({ items: expect.any(Array), page: expect.any(Object) });
        expectProblem(response, request, { statuses: [400], fieldsNamed: false });
      }),
      runs(150),
    );
  });

  it('When a search filters on a field the resource does not have, then it is refused 400 naming the field', async () => {
    const unknownField = fc.stringMatching(/^[a-z][A-Za-z]{2,15}$/).filter((name) => !resources.some(({ model }) => name in model.fields) && name !== 'variables');

    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...resources), unknownField, fc.jsonValue({ maxDepth: 1 }), async ({ path }, field, value) => {
        const request = post(`/v2/${path}/search`, JSON.stringify({ filter: { [field]: value } }));
        const response = await send(restAddress(server), request);
        expectProblem(response, request, { statuses: [400], fieldsNamed: false });
        expect(response.json!.detail, response.text).toContain(field);
      }),
      runs(100),
    );
  });
});

describe('commands', () => {
  it('When a process instance creation is malformed, then it is refused 4xx as problem+json and no instance is created', async () => {
    const from = records.length;
    const valid = { processDefinitionId: 'ops-order', processDefinitionVersion: 1, awaitCompletion: false };

    await fc.assert(
      fc.asyncProperty(garbageBody(valid, { limitBytes: LIMIT_BYTES }), async (garbage) => {
        const request = post('/v2/process-instances', garbage.body, garbage.contentType, garbage.description);
        expectProblem(await send(restAddress(server), request), request, { fieldsNamed: false });
      }),
      runs(100),
    );

    expect(newRecords(from, ValueType.PROCESS_INSTANCE_CREATION, 'CREATED')).toEqual([]);
  });

  it('When a message publication is malformed, then it is refused 4xx as problem+json and no message is published', async () => {
    const from = records.length;
    const valid = { name: 'order-paid', correlationKey: 'order-1', timeToLive: 60_000, variables: { paid: true } };

    await fc.assert(
      fc.asyncProperty(garbageBody(valid, { limitBytes: LIMIT_BYTES, isValid: isPublication }), async (garbage) => {
        const request = post('/v2/messages/publication', garbage.body, garbage.contentType, garbage.description);
        expectProblem(await send(restAddress(server), request), request, { fieldsNamed: false });
      }),
      runs(100),
    );

    expect(newRecords(from, ValueType.MESSAGE, 'PUBLISHED')).toEqual([]);
  });
});

describe('keys and credentials', () => {
  it('When a key in the path is random, then it is refused 400 or 404 as problem+json', async () => {
    const paths = fc.oneof(
      ...resources.map(({ path }) => pathSegment().map((key) => ({ method: 'GET', path: `/v2/${path}/${key}` }))),
      pathSegment().map((key) => ({ method: 'POST', path: `/v2/process-instances/${key}/cancellation` })),
      pathSegment().map((key) => ({ method: 'GET', path: `/v2/process-definitions/${key}/xml` })),
    );

    await fc.assert(
      fc.asyncProperty(paths, async (endpoint) => {
        const request: RawRequest = { ...endpoint, headers: bearer };
        expectProblem(await send(restAddress(server), request), request, { statuses: [400, 404], fieldsNamed: false });
      }),
      runs(100),
    );
  });

  it('When a request carries no valid token, then it is refused 401 as problem+json whatever it asks', async () => {
    const from = records.length;
    const endpoints = fc.constantFrom('/v2/process-instances/search', '/v2/process-instances', '/v2/messages/publication', '/v2/topology', '/v2/deployments', '/v2/no-such-thing');

    await fc.assert(
      fc.asyncProperty(endpoints, badAuthorization(await refusedTokens()), async (path, authorization) => {
        const headers: Record<string, string> = { 'content-type': 'application/json', ...(authorization.header === undefined ? {} : { authorization: authorization.header }) };
        const request: RawRequest = { method: 'POST', path, headers, body: JSON.stringify({ processDefinitionId: 'ops-order', name: 'order-paid' }), description: authorization.why };
        expectProblem(await send(restAddress(server), request), request, { statuses: [401], fieldsNamed: false });
      }),
      runs(100),
    );

    expect(newRecords(from, ValueType.PROCESS_INSTANCE_CREATION, 'CREATED')).toEqual([]);
  });
});

/** What the publication endpoint accepts, as Camunda 8.8 documents it; random JSON that fits it is not garbage. */
function isPublication(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const { name, correlationKey, timeToLive, messageId, variables, tenantId } = body as Record<string, unknown>;
  const optionalString = (value: unknown) => value === undefined || typeof value === 'string';
  const int64 = (value: unknown) => value === undefined || Number.isInteger(value) || (typeof value === 'string' && /^-?\d+$/.test(value));
  const object = (value: unknown) => value === undefined || value === null || (typeof value === 'object' && !Array.isArray(value));
  return typeof name === 'string' && name.length > 0 && optionalString(correlationKey) && int64(timeToLive) && optionalString(messageId) && object(variables)
    && (tenantId === undefined || tenantId === DEFAULT_TENANT || tenantId === '');
}
