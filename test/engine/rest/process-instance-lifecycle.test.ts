/**
 * An instance's life through the REST API, as the ops page drives it with the official client:
 * deploy (multipart), create, find it by search and get, follow its element instances, see an
 * incident when its job fails without retries, retry (update retries, resolve) and watch it end.
 */
import { ElementId, ProcessDefinitionId, type CamundaClient } from '@camunda8/orchestration-cluster-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EngineServer } from '../../../infra/engine/engine-server.js';
import { deployOpsOrder, eventually, restClient, startRestEngine, until } from './rest-test-support.js';

let server: EngineServer;
let client: CamundaClient;

beforeEach(async () => {
  server = await startRestEngine();
  client = restClient(server);
});

afterEach(async () => {
  await server.close();
});

async function activatePackJob() {
  const { jobs } = await client.activateJobs({ type: 'ops-pack', worker: 'rest-test', timeout: 60_000, maxJobsToActivate: 1, requestTimeout: 5_000 });
  expect(jobs).toHaveLength(1);
  return jobs[0]!;
}

/** The client reads the int64 counts as bigint. */
function countsAsNumbers(s: { elementId?: string; active?: unknown; canceled?: unknown; incidents?: unknown; completed?: unknown }) {
  return { elementId: s.elementId, active: Number(s.active), canceled: Number(s.canceled), incidents: Number(s.incidents), completed: Number(s.completed) };
}

async function createOrder(orderId = 'o-1') {
  return client.createProcessInstance({ processDefinitionId: ProcessDefinitionId.assumeExists('ops-order'), variables: { orderId } });
}

describe('deployment and process definitions', () => {
  it('When a BPMN file is deployed as multipart, then its definition is found by search, by key and as XML', async () => {
    const deployed = await deployOpsOrder(client);

    const found = await client.searchProcessDefinitions(
      { filter: { processDefinitionId: 'ops-order' } },
      until((r) => r.items?.[0]?.name === 'Ops order'),
    );
    expect(found.items).toEqual([
      {
        processDefinitionKey: deployed.processDefinitionKey, processDefinitionId: 'ops-order', name: 'Ops order', version: 1,
        versionTag: 'v1.0', resourceName: 'ops-order.bpmn', tenantId: '<default>', hasStartForm: false,
      },
    ]);
    const byKey = await client.getProcessDefinition({ processDefinitionKey: deployed.processDefinitionKey }, { consistency: eventually });
    expect(byKey.processDefinitionId).toBe('ops-order');
    const xml = await client.getProcessDefinitionXml({ processDefinitionKey: deployed.processDefinitionKey }, { consistency: eventually });
    expect(String(xml)).toContain('<bpmn:serviceTask id="pack" name="Pack the parcel">');
  });
});

describe('process instances', () => {
  it('When an instance is created, then search and get show it ACTIVE with its definition', async () => {
    const deployed = await deployOpsOrder(client);
    const created = await createOrder();

    const found = await client.searchProcessInstances(
      { filter: { processInstanceKey: created.processInstanceKey } },
      until((r) => r.items.length === 1),
    );
    expect(found.items[0]).toMatchObject({
      processInstanceKey: created.processInstanceKey, processDefinitionKey: deployed.processDefinitionKey,
      processDefinitionId: 'ops-order', processDefinitionVersion: 1, state: 'ACTIVE', hasIncident: false, tenantId: '<default>',
    });
    const byKey = await client.getProcessInstance({ processInstanceKey: created.processInstanceKey }, { consistency: eventually });
    expect(byKey.state).toBe('ACTIVE');
  });

  it('When an instance waits at a task, then its element instances show the start event completed and the task active, with names', async () => {
    await deployOpsOrder(client);
    const created = await createOrder();

    const elements = await client.searchElementInstances(
      { filter: { processInstanceKey: created.processInstanceKey }, sort: [{ field: 'startDate' }, { field: 'elementInstanceKey' }] },
      until((r) => r.items?.some((e) => e.elementId === 'pack' && e.elementName === 'Pack the parcel') ?? false),
    );
    const byElement = Object.fromEntries((elements.items ?? []).map((e) => [e.elementId, e]));
    expect(byElement['order-placed']).toMatchObject({ type: 'START_EVENT', state: 'COMPLETED', elementName: 'Order placed' });
    expect(byElement.pack).toMatchObject({ type: 'SERVICE_TASK', state: 'ACTIVE', hasIncident: false });
    expect(byElement['ops-order']).toMatchObject({ type: 'PROCESS', state: 'ACTIVE' });
    const pack = await client.getElementInstance({ elementInstanceKey: byElement.pack!.elementInstanceKey }, { consistency: eventually });
    expect(pack.elementId).toBe('pack');
  });

  it('When a job fails without retries, then an incident is found and the instance and element show it', async () => {
    await deployOpsOrder(client);
    const created = await createOrder();
    const job = await activatePackJob();

    await client.failJob({ jobKey: job.jobKey, retries: 0, errorMessage: 'carrier unreachable' });

    const found = await client.searchIncidents(
      { filter: { processInstanceKey: created.processInstanceKey, state: 'ACTIVE' } },
      until((r) => (r.items?.length ?? 0) === 1),
    );
    expect(found.items![0]).toMatchObject({
      errorType: 'JOB_NO_RETRIES', errorMessage: 'carrier unreachable', elementId: 'pack', jobKey: job.jobKey,
      processInstanceKey: created.processInstanceKey, state: 'ACTIVE',
    });
    const instance = await client.getProcessInstance({ processInstanceKey: created.processInstanceKey }, { consistency: eventually });
    expect(instance.hasIncident).toBe(true);
    const incident = await client.getIncident({ incidentKey: found.items![0]!.incidentKey! }, { consistency: eventually });
    expect(incident.elementInstanceKey).toBe(job.elementInstanceKey);
    const element = await client.getElementInstance({ elementInstanceKey: job.elementInstanceKey }, { consistency: eventually });
    expect(element).toMatchObject({ hasIncident: true, incidentKey: incident.incidentKey });
  });

  it('When the token is moved past the job with a variable, then the job is gone, the instance completes and the element instance shows TERMINATED', async () => {
    await deployOpsOrder(client);
    const created = await createOrder();
    const job = await activatePackJob();

    await client.modifyProcessInstance({
      processInstanceKey: created.processInstanceKey,
      terminateInstructions: [{ elementInstanceKey: job.elementInstanceKey }],
      activateInstructions: [{ elementId: ElementId.assumeExists('shipped'), variableInstructions: [{ variables: { parcel: 'skipped' } }] }],
    });

    const completed = await client.getProcessInstance(
      { processInstanceKey: created.processInstanceKey },
      { consistency: { ...eventually, predicate: (instance) => instance.state === 'COMPLETED' } },
    );
    expect(completed.state).toBe('COMPLETED');
    const pack = await client.getElementInstance({ elementInstanceKey: job.elementInstanceKey }, { consistency: { ...eventually, predicate: (e) => e.state === 'TERMINATED' } });
    expect(pack.state).toBe('TERMINATED');
    const variables = await client.searchVariables({ filter: { processInstanceKey: created.processInstanceKey, name: 'parcel' } }, until((r) => (r.items?.length ?? 0) === 1));
    expect(variables.items![0]!.value).toBe('"skipped"');
  });

  it('When a modification names an element the process does not have, then it is refused 400 naming it and the instance is untouched', async () => {
    await deployOpsOrder(client);
    const created = await createOrder();
    await activatePackJob();

    const failure = await client
      .modifyProcessInstance({ processInstanceKey: created.processInstanceKey, activateInstructions: [{ elementId: ElementId.assumeExists('nowhere') }] })
      .then(() => undefined, (error: unknown) => error);

    expect(failure).toMatchObject({ status: 400, title: 'INVALID_ARGUMENT', detail: expect.stringContaining("could not be found: 'nowhere'") });
    const instance = await client.getProcessInstance({ processInstanceKey: created.processInstanceKey }, { consistency: eventually });
    expect(instance.state).toBe('ACTIVE');
  });

  it('When retries are updated and the incident resolved, then the job runs again and the instance completes', async () => {
    await deployOpsOrder(client);
    const created = await createOrder();
    const failed = await activatePackJob();
    await client.failJob({ jobKey: failed.jobKey, retries: 0, errorMessage: 'carrier unreachable' });
    const incidents = await client.searchIncidents({ filter: { processInstanceKey: created.processInstanceKey } }, until((r) => (r.items?.length ?? 0) === 1));

    await client.updateJob({ jobKey: failed.jobKey, changeset: { retries: 1 } });
    await client.resolveIncident({ incidentKey: incidents.items![0]!.incidentKey! });
    const retried = await activatePackJob();
    await client.completeJob({ jobKey: retried.jobKey, variables: { parcel: 'P-1' } });

    const completed = await client.getProcessInstance(
      { processInstanceKey: created.processInstanceKey },
      { consistency: { ...eventually, predicate: (instance) => instance.state === 'COMPLETED' } },
    );
    expect(completed).toMatchObject({ state: 'COMPLETED', hasIncident: false });
    expect(completed.endDate).toBeDefined();
    const resolved = await client.getIncident({ incidentKey: incidents.items![0]!.incidentKey! }, { consistency: eventually });
    expect(resolved.state).toBe('RESOLVED');
  });

  it('When an instance completes, then its sequence flows and element statistics show the path taken', async () => {
    await deployOpsOrder(client);
    const created = await createOrder();
    await client.completeJob({ jobKey: (await activatePackJob()).jobKey });
    await client.getProcessInstance({ processInstanceKey: created.processInstanceKey }, { consistency: { ...eventually, predicate: (i) => i.state === 'COMPLETED' } });

    const flows = await client.getProcessInstanceSequenceFlows({ processInstanceKey: created.processInstanceKey }, { consistency: eventually });
    expect((flows.items ?? []).map((f) => f.elementId)).toEqual(['to-pack', 'to-shipped']);
    const statistics = await client.getProcessInstanceStatistics({ processInstanceKey: created.processInstanceKey }, { consistency: eventually });
    expect((statistics.items ?? []).map(countsAsNumbers)).toEqual([
      { elementId: 'order-placed', active: 0, canceled: 0, incidents: 0, completed: 1 },
      { elementId: 'pack', active: 0, canceled: 0, incidents: 0, completed: 1 },
      { elementId: 'shipped', active: 0, canceled: 0, incidents: 0, completed: 1 },
    ]);
  });

  it('When instances of a definition wait, fail or are cancelled, then the definition statistics count them per element', async () => {
    const deployed = await deployOpsOrder(client);
    await createOrder('o-failing');
    await client.failJob({ jobKey: (await activatePackJob()).jobKey, retries: 0 });
    await createOrder('o-waiting');
    const cancelled = await createOrder('o-cancelled');
    await client.cancelProcessInstance({ processInstanceKey: cancelled.processInstanceKey });
    // Statistics are a POST, which the client does not retry on 404: wait (by GET) until the definition is searchable.
    await client.getProcessDefinition({ processDefinitionKey: deployed.processDefinitionKey }, { consistency: eventually });

    const statistics = await client.getProcessDefinitionStatistics(
      { processDefinitionKey: deployed.processDefinitionKey },
      { consistency: { ...eventually, predicate: (r) => Number(r.items?.find((s) => s.elementId === 'pack')?.canceled) === 1 } },
    );
    expect(countsAsNumbers(statistics.items!.find((s) => s.elementId === 'pack')!)).toEqual({ elementId: 'pack', active: 1, canceled: 1, incidents: 1, completed: 0 });
  });

  it('When an instance is cancelled, then it reads TERMINATED and its waiting task too', async () => {
    await deployOpsOrder(client);
    const created = await createOrder();

    await client.cancelProcessInstance({ processInstanceKey: created.processInstanceKey });

    const instance = await client.getProcessInstance(
      { processInstanceKey: created.processInstanceKey },
      { consistency: { ...eventually, predicate: (i) => i.state === 'TERMINATED' } },
    );
    expect(instance.endDate).toBeDefined();
    const pack = await client.searchElementInstances({ filter: { processInstanceKey: created.processInstanceKey, elementId: ElementId.assumeExists('pack') } }, until((r) => (r.items?.length ?? 0) === 1));
    expect(pack.items![0]!.state).toBe('TERMINATED');
  });

  it('When an instance is created awaiting completion, then the answer carries its result variables', async () => {
    await deployOpsOrder(client);
    const worker = (async () => client.completeJob({ jobKey: (await activatePackJob()).jobKey, variables: { parcel: 'P-7' } }))();

    const result = await client.createProcessInstance({ processDefinitionId: ProcessDefinitionId.assumeExists('ops-order'), variables: { orderId: 'o-7' }, awaitCompletion: true, requestTimeout: 10_000 });

    await worker;
    expect(result.variables).toEqual({ orderId: 'o-7', parcel: 'P-7' });
  });
});
