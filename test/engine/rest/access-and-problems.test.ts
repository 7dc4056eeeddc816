/**
 * Who may call the REST API, and how it says no: problem+json (`type`, `title`, `status`,
 * `detail`, `instance`) for a bad filter, an unknown key, a missing or wrong token, and a read
 * token that tries to write. Raw HTTP here, since the status and headers are the point.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineServer } from '../../../infra/engine/engine-server.js';
import { bearerRestClient, deployOpsOrder, eventually, OPS_TOKEN, READ_TOKEN, restCall, restClient, startRestEngine } from './rest-test-support.js';

let server: EngineServer;

beforeAll(async () => {
  server = await startRestEngine();
});

afterAll(async () => {
  await server.close();
});

const call = (path: string, init?: Parameters<typeof restCall>[2]) => restCall(server, path, init);

const bearer = (token: string) => `Bearer ${token}`;

describe('authentication', () => {
  it('When a request carries no token, then it is refused 401 with a Bearer challenge', async () => {
    const response = await call('/v2/process-instances/search', { body: {} });

    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 401, title: 'UNAUTHORIZED', instance: '/v2/process-instances/search' });
  });

  it('When a request carries a wrong token, then it is refused 401', async () => {
    const response = await call('/v2/topology', { method: 'GET', authorization: bearer('not-the-token') });

    expect(response.status).toBe(401);
  });

  it('When an unknown path is asked without a token, then it is still 401, not 404', async () => {
    const response = await call('/v2/no-such-thing', { method: 'GET' });

    expect(response.status).toBe(401);
  });

  it('When the read token searches, then it is answered', async () => {
    const response = await call('/v2/process-instances/search', { body: {}, authorization: bearer(READ_TOKEN) });

    expect(response.status).toBe(200);
  });

  it('When the read token tries to write, then it is refused 403 with problem+json', async () => {
    const response = await call('/v2/process-instances', { body: { processDefinitionId: 'ops-order' }, authorization: bearer(READ_TOKEN) });

    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ type: 'about:blank', status: 403, title: 'FORBIDDEN', instance: '/v2/process-instances' });
  });

  it('When the token is the password of Basic credentials, then the request is answered', async () => {
    const basic = `Basic ${Buffer.from(`anyone:${OPS_TOKEN}`).toString('base64')}`;

    const response = await call('/v2/topology', { method: 'GET', authorization: basic });

    expect(response.status).toBe(200);
  });

  it('When the official client sends the token as a bearer header through its hook, then it is answered', async () => {
    const topology = await bearerRestClient(server).getTopology();

    expect(topology.brokers[0]!.partitions[0]).toEqual({ partitionId: 1, role: 'leader', health: 'healthy' });
  });
});

describe('problem details', () => {
  it('When a filter field has a bad value, then 400 names the field', async () => {
    const response = await call('/v2/process-instances/search', { body: { filter: { state: 'RUNNING' } }, authorization: bearer(OPS_TOKEN) });
    const problem = (await response.json()) as Record<string, unknown>;

    expect(response.status).toBe(400);
    expect(problem).toMatchObject({ type: 'about:blank', title: 'INVALID_ARGUMENT', status: 400, instance: '/v2/process-instances/search' });
    expect(problem.detail).toContain('filter.state');
    expect(problem.detail).toContain('ACTIVE, COMPLETED, TERMINATED');
  });

  it('When a filter field does not exist, then 400 names it', async () => {
    const response = await call('/v2/incidents/search', { body: { filter: { colour: 'red' } }, authorization: bearer(OPS_TOKEN) });

    expect(response.status).toBe(400);
    expect(((await response.json()) as { detail: string }).detail).toContain('filter.colour');
  });

  it('When a date range bound is not a date, then 400 names the bound', async () => {
    const response = await call('/v2/process-instances/search', { body: { filter: { startDate: { $gt: 'yesterday' } } }, authorization: bearer(OPS_TOKEN) });

    expect(response.status).toBe(400);
    expect(((await response.json()) as { detail: string }).detail).toContain('filter.startDate');
  });

  it('When a process instance key is unknown, then the official client sees 404 NOT_FOUND', async () => {
    const failure = await restClient(server)
      .getProcessInstance({ processInstanceKey: '2251799813685000' as never }, { consistency: { waitUpToMs: 0 } })
      .then(() => undefined, (error: unknown) => error);

    expect(failure).toMatchObject({ status: 404, title: 'NOT_FOUND' });
  });

  it('When an unknown instance is cancelled, then the engine rejection reads 404 with its reason', async () => {
    const response = await call('/v2/process-instances/2251799813685000/cancellation', { authorization: bearer(OPS_TOKEN) });
    const problem = (await response.json()) as { title: string; detail: string };

    expect(response.status).toBe(404);
    expect(problem.title).toBe('NOT_FOUND');
    expect(problem.detail).toContain("Command 'CANCEL' rejected with code 'NOT_FOUND'");
  });

  it('When a path key is not a number, then 400 says so', async () => {
    const response = await call('/v2/incidents/abc', { method: 'GET', authorization: bearer(OPS_TOKEN) });

    expect(response.status).toBe(400);
    expect(((await response.json()) as { detail: string }).detail).toContain('incidentKey');
  });
});

describe('unknown fields in a command', () => {
  let processDefinitionKey: string;

  beforeAll(async () => {
    processDefinitionKey = (await deployOpsOrder(restClient(server))).processDefinitionKey;
  });

  it.each([
    ['POST', '/v2/process-instances', { processDefinitionId: 'ops-order', variable: { orderId: 'o-1' } }, 'variable'],
    ['POST', '/v2/process-instances', { processDefinitionId: 'ops-order', startInstructions: [{ elementId: 'pack', type: 'START' }] }, 'startInstructions[0].type'],
    ['POST', '/v2/process-instances/2251799813685000/cancellation', { reason: 'duplicate order' }, 'reason'],
    ['POST', '/v2/incidents/2251799813685000/resolution', { retries: 3 }, 'retries'],
    ['PATCH', '/v2/jobs/2251799813685000', { changeset: { retries: 3, timeOut: 60_000 } }, 'changeset.timeOut'],
    ['POST', '/v2/jobs/activation', { type: 'ops-pack', timeout: 1_000, maxJobsToActivate: 1, fetchVariables: ['orderId'] }, 'fetchVariables'],
    ['POST', '/v2/jobs/2251799813685000/failure', { retries: 0, message: 'boom' }, 'message'],
    ['POST', '/v2/messages/publication', { name: 'paid', correlationKey: 'o-1', ttl: 60_000 }, 'ttl'],
    ['PUT', '/v2/clock', { timestamp: 1_940_000_000_000, zone: 'UTC' }, 'zone'],
  ] as const)('When %s %s carries %j, a field Camunda 8.8 does not know, then 400 names it', async (method, path, body, field) => {
    const response = await call(path, { method, body, authorization: bearer(OPS_TOKEN) });
    const problem = (await response.json()) as { title: string; detail: string };

    expect(response.status).toBe(400);
    expect(problem.title).toBe('INVALID_ARGUMENT');
    expect(problem.detail).toContain(`${field}: Expected no such field, but it was sent`);
  });

  it('When an instance is created with a misspelt field, then no instance is started', async () => {
    const client = restClient(server);
    await call('/v2/process-instances', { body: { processDefinitionId: 'ops-order', variable: { orderId: 'o-1' } }, authorization: bearer(OPS_TOKEN) });
    const { processInstanceKey } = await client.createProcessInstance({ processDefinitionId: 'ops-order' as never, variables: { orderId: 'o-2' } });

    // The projection follows the engine in order: once the later instance is found, an earlier one would be too.
    const found = await client.searchProcessInstances({}, { consistency: eventually });
    expect(found.items.map((item) => item.processInstanceKey)).toEqual([processInstanceKey]);
  });

  it('When element statistics are asked with an unknown field beside the filter, then 400 names it', async () => {
    const response = await call(`/v2/process-definitions/${processDefinitionKey}/statistics/element-instances`, { body: { filters: { state: 'ACTIVE' } }, authorization: bearer(OPS_TOKEN) });

    expect(response.status).toBe(400);
    expect(((await response.json()) as { detail: string }).detail).toContain('filters: Expected no such field');
  });
});
