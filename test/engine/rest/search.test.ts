/**
 * Searches as Camunda 8.8 answers them, through the official client: filters (state, incidents,
 * date ranges in the advanced `{ "$gt", "$lt" }` form, a variable's value), sort, and both page
 * forms (`from`/`limit` and the `after`/`before` cursors).
 *
 * Given five orders started a minute apart: o-1…o-3 wait at their task (o-3's job failed with
 * retries left), o-4's job failed without retries (an incident), o-5 was cancelled.
 */
import { ElementId, ProcessDefinitionId, type CamundaClient } from '@camunda8/orchestration-cluster-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineServer } from '../../../infra/engine/engine-server.js';
import { deployOpsOrder, restClient, startRestEngine, until } from './rest-test-support.js';

const START = Date.parse('2030-03-01T10:00:00.000Z');
const MINUTE = 60_000;
const minutesAfterStart = (minutes: number) => new Date(START + minutes * MINUTE).toISOString();

let server: EngineServer;
let client: CamundaClient;
let processDefinitionKey: string;
/** Process instance keys by order id, in creation order. */
const instances = new Map<string, string>();
const orderIds = ['o-1', 'o-2', 'o-3', 'o-4', 'o-5'];

beforeAll(async () => {
  server = await startRestEngine();
  client = restClient(server);
  processDefinitionKey = (await deployOpsOrder(client)).processDefinitionKey;
  for (const [i, orderId] of orderIds.entries()) {
    await client.pinClock({ timestamp: START + i * MINUTE });
    const created = await client.createProcessInstance({ processDefinitionId: ProcessDefinitionId.assumeExists('ops-order'), variables: { orderId } });
    instances.set(orderId, created.processInstanceKey);
  }
  const { jobs } = await client.activateJobs({ type: 'ops-pack', worker: 'search-test', timeout: 600_000, maxJobsToActivate: 10, requestTimeout: 5_000 });
  const jobOf = (orderId: string) => jobs.find((job) => job.processInstanceKey === instances.get(orderId))!.jobKey;
  await client.failJob({ jobKey: jobOf('o-3'), retries: 2, errorMessage: 'Label printer busy' });
  await client.failJob({ jobKey: jobOf('o-4'), retries: 0, errorMessage: 'Label printer offline' });
  await client.cancelProcessInstance({ processInstanceKey: instances.get('o-5')! as never });
  await client.searchIncidents({}, until((r) => (r.items?.length ?? 0) === 1));
  await client.searchProcessInstances({ filter: { state: 'TERMINATED' } }, until((r) => r.items.length === 1));
});

afterAll(async () => {
  await server.close();
});

const orderIdOf = (processInstanceKey: string) => [...instances].find(([, key]) => key === processInstanceKey)?.[0];
const orderIdsOf = (items: { processInstanceKey: string }[]) => items.map((item) => orderIdOf(item.processInstanceKey));
const now = { consistency: { waitUpToMs: 0 } };

describe('process instance filters', () => {
  it.each([
    ['state ACTIVE', { state: 'ACTIVE' }, ['o-1', 'o-2', 'o-3', 'o-4']],
    ['state TERMINATED', { state: 'TERMINATED' }, ['o-5']],
    ['state $in', { state: { $in: ['TERMINATED', 'COMPLETED'] } }, ['o-5']],
    ['hasIncident', { hasIncident: true }, ['o-4']],
    ['startDate range', { startDate: { $gt: minutesAfterStart(0), $lt: minutesAfterStart(3) } }, ['o-2', 'o-3']],
    ['startDate $gte', { startDate: { $gte: minutesAfterStart(3) } }, ['o-4', 'o-5']],
    ['an order id variable', { variables: [{ name: 'orderId', value: '"o-3"' }] }, ['o-3']],
    ['a variable $like', { variables: [{ name: 'orderId', value: { $like: '"o-[12]"' } }] }, []],
    ['process definition id and version', { processDefinitionId: 'ops-order', processDefinitionVersion: 1, state: 'TERMINATED' }, ['o-5']],
    ['$or groups', { $or: [{ hasIncident: true }, { state: 'TERMINATED' }] }, ['o-4', 'o-5']],
    ['$or groups of variables', { $or: [{ variables: [{ name: 'orderId', value: '"o-1"' }] }, { variables: [{ name: 'orderId', value: '"o-3"' }] }] }, ['o-1', 'o-3']],
    ['an element waiting', { elementId: 'pack', elementInstanceState: 'ACTIVE' }, ['o-1', 'o-2', 'o-3', 'o-4']],
    ['an element terminated', { elementId: 'pack', elementInstanceState: 'TERMINATED' }, ['o-5']],
    ['an element with an incident', { elementId: 'pack', hasElementInstanceIncident: true }, ['o-4']],
    ['an element not reached', { elementId: 'shipped' }, []],
    ['an open incident’s error message', { errorMessage: { $like: '*offline*' } }, ['o-4']],
    ['a job failed with retries left', { hasRetriesLeft: true }, ['o-3']],
    ['no job failed with retries left', { hasRetriesLeft: false, state: 'ACTIVE' }, ['o-1', 'o-2', 'o-4']],
  ] as const)('When filtered by %s, then only the matching instances are found', async (_name, filter, expected) => {
    const found = await client.searchProcessInstances({ filter: filter as never, sort: [{ field: 'startDate' }] }, now);

    expect(orderIdsOf(found.items)).toEqual(expected);
    expect(Number(found.page.totalItems)).toBe(expected.length);
  });

  it('When filtered by process definition key, then every instance of the definition is found', async () => {
    const found = await client.searchProcessInstances({ filter: { processDefinitionKey: processDefinitionKey as never } }, now);

    expect(found.items).toHaveLength(5);
  });
});

describe('sort and pages', () => {
  it('When sorted by startDate descending, then the newest instance comes first', async () => {
    const found = await client.searchProcessInstances({ sort: [{ field: 'startDate', order: 'DESC' }] }, now);

    expect(orderIdsOf(found.items)).toEqual(['o-5', 'o-4', 'o-3', 'o-2', 'o-1']);
  });

  it('When paged with from and limit, then that slice is answered with the total', async () => {
    const found = await client.searchProcessInstances({ sort: [{ field: 'startDate' }], page: { from: 2, limit: 2 } }, now);

    expect(orderIdsOf(found.items)).toEqual(['o-3', 'o-4']);
    expect(Number(found.page.totalItems)).toBe(5);
  });

  it('When paged forward with endCursor, then the next page follows without overlap', async () => {
    const sort = [{ field: 'startDate' as const, order: 'DESC' as const }];
    const first = await client.searchProcessInstances({ sort, page: { limit: 2 } }, now);
    const second = await client.searchProcessInstances({ sort, page: { after: first.page.endCursor!, limit: 2 } }, now);
    const third = await client.searchProcessInstances({ sort, page: { after: second.page.endCursor!, limit: 2 } }, now);

    expect([first, second, third].map((page) => orderIdsOf(page.items))).toEqual([['o-5', 'o-4'], ['o-3', 'o-2'], ['o-1']]);
  });

  it('When paged backward with startCursor, then the previous page is answered in order', async () => {
    const sort = [{ field: 'startDate' as const }];
    const last = await client.searchProcessInstances({ sort, page: { from: 3, limit: 2 } }, now);
    const previous = await client.searchProcessInstances({ sort, page: { before: last.page.startCursor!, limit: 2 } }, now);

    expect(orderIdsOf(last.items)).toEqual(['o-4', 'o-5']);
    expect(orderIdsOf(previous.items)).toEqual(['o-2', 'o-3']);
  });
});

describe('variables', () => {
  it('When variables are searched by processInstanceKey, then the instance variable is answered as JSON', async () => {
    const found = await client.searchVariables({ filter: { processInstanceKey: instances.get('o-2')! as never } }, now);

    expect(found.items).toEqual([
      expect.objectContaining({ name: 'orderId', value: '"o-2"', isTruncated: false, processInstanceKey: instances.get('o-2'), scopeKey: instances.get('o-2') }),
    ]);
  });

  it('When variables are searched by name, then every instance variable of that name is found', async () => {
    const found = await client.searchVariables({ filter: { name: 'orderId' }, sort: [{ field: 'value' }] }, now);

    expect(found.items.map((v) => v.value)).toEqual(['"o-1"', '"o-2"', '"o-3"', '"o-4"', '"o-5"']);
  });

  it('When a variable is read by key, then its full value is answered', async () => {
    const [variable] = (await client.searchVariables({ filter: { processInstanceKey: instances.get('o-1')! as never } }, now)).items;

    const read = await client.getVariable({ variableKey: variable!.variableKey }, now);

    expect(read).toMatchObject({ name: 'orderId', value: '"o-1"' });
  });
});

describe('element instances and incidents', () => {
  it('When element instances are filtered by state, type and element id, then the waiting tasks are found', async () => {
    const found = await client.searchElementInstances({ filter: { state: 'ACTIVE', type: 'SERVICE_TASK', elementId: ElementId.assumeExists('pack') } }, now);

    expect((found.items ?? []).map((e) => orderIdOf(e.processInstanceKey)).sort()).toEqual(['o-1', 'o-2', 'o-3', 'o-4']);
  });

  it('When incidents are filtered by state, then only the open incident is found', async () => {
    const active = await client.searchIncidents({ filter: { state: 'ACTIVE' } }, now);
    const resolved = await client.searchIncidents({ filter: { state: 'RESOLVED' } }, now);

    expect((active.items ?? []).map((i) => orderIdOf(i.processInstanceKey!))).toEqual(['o-4']);
    expect(resolved.items).toEqual([]);
  });
});
