/**
 * Camunda 8.8's job search (`POST /v2/jobs/search`) through the official client: the state each
 * job reads through its life, its filters, sort and pages, and the 400 for a filter it does not know.
 *
 * Given one instance of `job-search.bpmn` per job, each job of its own type, worked on at START
 * (the clock pinned) by worker `packer` with a ten-minute timeout:
 * - waiting: never activated;
 * - activated: activated;
 * - completed: activated, then completed a minute later;
 * - retrying: activated, then failed with 2 retries left;
 * - exhausted: activated, then failed with none left (an incident);
 * - erred: activated, then threw the BPMN error OUT_OF_STOCK, which nothing catches (an incident).
 */
import { ProcessDefinitionId, type CamundaClient, type JobSearchResult } from '@camunda8/orchestration-cluster-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineServer } from '../../../infra/engine/engine-server.js';
import { fixtureFile, fixturePath, OPS_TOKEN, READ_TOKEN, restAddress, restClient, startRestEngine, until } from './rest-test-support.js';

const START = Date.parse('2030-04-01T08:00:00.000Z');
const MINUTE = 60_000;
const TIMEOUT = 10 * MINUTE;
const WORKER = 'packer';

const scenarios = ['waiting', 'activated', 'completed', 'retrying', 'exhausted', 'erred'] as const;
type Scenario = (typeof scenarios)[number];
/** Every filter and sort below sorts by type, so results read in this order. */
const byType: Scenario[] = ['activated', 'completed', 'erred', 'exhausted', 'retrying', 'waiting'];

let server: EngineServer;
let client: CamundaClient;
let processDefinitionKey: string;
const instances = new Map<Scenario, string>();
/** Each scenario's job as the search answers it once every step is projected. */
const jobs = new Map<Scenario, JobSearchResult>();

const jobType = (scenario: Scenario) => `js-${scenario}`;
const scenarioOf = (job: JobSearchResult) => job.type.replace(/^js-/, '') as Scenario;
const scenariosOf = (items: JobSearchResult[]) => items.map(scenarioOf);
const job = (scenario: Scenario) => jobs.get(scenario)!;
const now = { consistency: { waitUpToMs: 0 } };

async function activate(scenario: Scenario) {
  const { jobs: activated } = await client.activateJobs({ type: jobType(scenario), worker: WORKER, timeout: TIMEOUT, maxJobsToActivate: 1, requestTimeout: 5_000 });
  return activated[0]!.jobKey;
}

beforeAll(async () => {
  server = await startRestEngine();
  client = restClient(server);
  const deployment = await client.createDeployment({ resources: [await fixtureFile(fixturePath('job-search.bpmn'))] });
  processDefinitionKey = deployment.deployments[0]!.processDefinition!.processDefinitionKey;
  await client.pinClock({ timestamp: START });
  for (const scenario of scenarios) {
    const created = await client.createProcessInstance({ processDefinitionId: ProcessDefinitionId.assumeExists('job-search'), variables: { jobType: jobType(scenario) } });
    instances.set(scenario, created.processInstanceKey);
  }
  await activate('activated');
  const completed = await activate('completed');
  await client.failJob({ jobKey: await activate('retrying'), retries: 2, errorMessage: 'scanner jammed' });
  await client.failJob({ jobKey: await activate('exhausted'), retries: 0, errorMessage: 'parcel lost' });
  await client.throwJobError({ jobKey: await activate('erred'), errorCode: 'OUT_OF_STOCK', errorMessage: 'no boxes left' });
  await client.pinClock({ timestamp: START + MINUTE });
  await client.completeJob({ jobKey: completed });
  // The completion is the last step, and the projection writes records in order.
  const all = await client.searchJobs({}, until((r) => r.items.some((j) => j.state === 'COMPLETED')));
  for (const item of all.items) jobs.set(scenarioOf(item), item);
});

afterAll(async () => {
  await server.close();
});

describe('a job through its life', () => {
  it('When a job is created and not yet activated, then it reads CREATED with no worker and no deadline', () => {
    expect(job('waiting')).toEqual({
      jobKey: expect.any(String),
      type: 'js-waiting',
      worker: '',
      state: 'CREATED',
      kind: 'BPMN_ELEMENT',
      listenerEventType: 'UNSPECIFIED',
      retries: 3,
      hasFailedWithRetriesLeft: false,
      customHeaders: { carrier: 'parcel-post' },
      elementId: 'work',
      elementInstanceKey: expect.any(String),
      processDefinitionId: 'job-search',
      processDefinitionKey,
      processInstanceKey: instances.get('waiting'),
      tenantId: '<default>',
    });
  });

  it('When a job is activated through the client, then it shows its worker and deadline and still reads CREATED', () => {
    expect(job('activated')).toMatchObject({ state: 'CREATED', worker: WORKER, deadline: new Date(START + TIMEOUT).toISOString(), retries: 3 });
    expect(job('activated')).not.toHaveProperty('endTime');
  });

  it('When an activated job is completed, then it reads COMPLETED with the time it ended', () => {
    expect(job('completed')).toMatchObject({ state: 'COMPLETED', worker: WORKER, endTime: new Date(START + MINUTE).toISOString(), isDenied: false });
  });

  it('When a job fails with retries left, then it reads FAILED and has failed with retries left', () => {
    expect(job('retrying')).toMatchObject({ state: 'FAILED', retries: 2, hasFailedWithRetriesLeft: true, errorMessage: 'scanner jammed' });
  });

  it('When a job fails with no retries left, then it reads FAILED with no retries and has not failed with retries left', () => {
    expect(job('exhausted')).toMatchObject({ state: 'FAILED', retries: 0, hasFailedWithRetriesLeft: false, errorMessage: 'parcel lost' });
  });

  it('When a job throws a BPMN error nothing catches, then it reads ERROR_THROWN with the error code and the time it ended', () => {
    expect(job('erred')).toMatchObject({ state: 'ERROR_THROWN', errorCode: 'OUT_OF_STOCK', errorMessage: 'no boxes left', endTime: new Date(START).toISOString() });
  });
});

describe('filters', () => {
  const all = byType;
  it.each([
    ['type', () => ({ type: 'js-retrying' }), ['retrying']],
    ['type $like', () => ({ type: { $like: 'js-*ing' } }), ['retrying', 'waiting']],
    ['processInstanceKey', () => ({ processInstanceKey: instances.get('completed') }), ['completed']],
    ['jobKey', () => ({ jobKey: job('exhausted').jobKey }), ['exhausted']],
    ['elementInstanceKey', () => ({ elementInstanceKey: job('waiting').elementInstanceKey }), ['waiting']],
    ['state CREATED', () => ({ state: 'CREATED' }), ['activated', 'waiting']],
    ['state $in', () => ({ state: { $in: ['FAILED', 'ERROR_THROWN'] } }), ['erred', 'exhausted', 'retrying']],
    ['worker', () => ({ worker: WORKER }), ['activated', 'completed', 'erred', 'exhausted', 'retrying']],
    ['retries $lt', () => ({ retries: { $lt: 3 } }), ['exhausted', 'retrying']],
    ["hasFailedWithRetriesLeft (a thrown error counts, as in Camunda's exporter)", () => ({ hasFailedWithRetriesLeft: true }), ['erred', 'retrying']],
    ['errorCode', () => ({ errorCode: 'OUT_OF_STOCK' }), ['erred']],
    ['errorMessage $like', () => ({ errorMessage: { $like: '*jammed*' } }), ['retrying']],
    ['no deadline (never activated, or failed)', () => ({ deadline: { $exists: false } }), ['exhausted', 'retrying', 'waiting']],
    ['deadline range', () => ({ deadline: { $gt: new Date(START).toISOString(), $lte: new Date(START + TIMEOUT).toISOString() }, state: 'CREATED' }), ['activated']],
    ['endTime $exists', () => ({ endTime: { $exists: true } }), ['completed', 'erred']],
    ['processDefinitionId and elementId', () => ({ processDefinitionId: 'job-search', elementId: 'work' }), all],
    ['processDefinitionKey', () => ({ processDefinitionKey }), all],
    ['tenantId', () => ({ tenantId: '<default>' }), all],
    ['kind and listenerEventType', () => ({ kind: 'BPMN_ELEMENT', listenerEventType: 'UNSPECIFIED' }), all],
    ['a kind no job has', () => ({ kind: 'TASK_LISTENER' }), []],
  ] as const)('When jobs are filtered by %s, then only the matching jobs are found', async (_name, filter, expected) => {
    const found = await client.searchJobs({ filter: filter() as never, sort: [{ field: 'type' }] }, now);

    expect(scenariosOf(found.items)).toEqual(expected);
    expect(Number(found.page.totalItems)).toBe(expected.length);
  });
});

describe('sort and pages', () => {
  it.each([
    ['type descending', [{ field: 'type', order: 'DESC' }], [...byType].reverse()],
    ['retries, then state, then type', [{ field: 'retries' }, { field: 'state' }, { field: 'type' }], ['exhausted', 'retrying', 'completed', 'activated', 'waiting', 'erred']],
    ['deadline, then type', [{ field: 'deadline' }, { field: 'type' }], ['exhausted', 'retrying', 'waiting', 'activated', 'completed', 'erred']],
  ] as const)('When jobs are sorted by %s, then they come in that order', async (_name, sort, expected) => {
    const found = await client.searchJobs({ sort: sort as never }, now);

    expect(scenariosOf(found.items)).toEqual(expected);
  });

  it('When jobs are paged with from and limit, then that slice is answered with the total', async () => {
    const found = await client.searchJobs({ sort: [{ field: 'type' }], page: { from: 2, limit: 2 } }, now);

    expect(scenariosOf(found.items)).toEqual(['erred', 'exhausted']);
    expect(Number(found.page.totalItems)).toBe(6);
  });

  it('When jobs are paged forward with endCursor, then each page follows the last without overlap', async () => {
    const sort = [{ field: 'type' as const }];
    const first = await client.searchJobs({ sort, page: { limit: 4 } }, now);
    const second = await client.searchJobs({ sort, page: { after: first.page.endCursor!, limit: 4 } }, now);

    expect([scenariosOf(first.items), scenariosOf(second.items)]).toEqual([byType.slice(0, 4), byType.slice(4)]);
  });
});

describe('bad requests', () => {
  const search = (body: unknown, token = OPS_TOKEN) =>
    fetch(`${restAddress(server)}/v2/jobs/search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });

  it('When a filter field does not exist, then 400 problem+json names it', async () => {
    const response = await search({ filter: { colour: 'red' } });

    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await response.json()) as { detail: string };
    expect(problem).toMatchObject({ type: 'about:blank', title: 'INVALID_ARGUMENT', status: 400, instance: '/v2/jobs/search' });
    expect(problem.detail).toContain('filter.colour');
  });

  it('When filtered by a state Camunda does not have (ACTIVATED), then 400 lists the job states', async () => {
    const response = await search({ filter: { state: 'ACTIVATED' } });

    expect(response.status).toBe(400);
    expect(((await response.json()) as { detail: string }).detail).toContain('filter.state: Expected one of CANCELED, COMPLETED, CREATED');
  });

  it('When the read token searches jobs, then it is answered', async () => {
    const response = await search({}, READ_TOKEN);

    expect(response.status).toBe(200);
  });
});
