/**
 * Batch operations over REST as Camunda 8.8 runs them: resolve the incidents of, or cancel, every
 * process instance a filter matches (`POST /v2/process-instances/incident-resolution`,
 * `/cancellation`), then follow the operation (`GET /v2/batch-operations/{key}`) and its items
 * (`POST /v2/batch-operation-items/search`), all through the typed rest.client.
 */
import { ProcessDefinitionId } from '@camunda8/orchestration-cluster-api';
import { describe, expect, it } from 'vitest';
import { eventually, OPS_TOKEN, opsOrderEngineForFile, READ_TOKEN, restCall, until } from './rest-test-support.js';

const rest = opsOrderEngineForFile();

/**
 * Orders waiting at their pack task, each with an `orderId` of the given batch, once the search
 * shows them: a batch operation finds its items there.
 */
async function ordersAtPack(batch: string, count: number): Promise<string[]> {
  const keys: string[] = [];
  for (let i = 0; i < count; i++) {
    const { processInstanceKey } = await rest.client.createProcessInstance({ processDefinitionId: ProcessDefinitionId.assumeExists('ops-order'), variables: { orderId: `${batch}-${i}`, batch } });
    keys.push(processInstanceKey);
  }
  await rest.client.searchProcessInstances({ filter: inBatch(batch) as never }, until((r) => Number(r.page.totalItems) === count));
  return keys;
}

/** Fails every pack job with no retries left: one incident per order. */
async function failPacking(count: number): Promise<void> {
  const { jobs } = await rest.client.activateJobs({ type: 'ops-pack', worker: 'rest-test', timeout: 60_000, maxJobsToActivate: count, requestTimeout: 5_000 });
  expect(jobs).toHaveLength(count);
  for (const job of jobs) await rest.client.failJob({ jobKey: job.jobKey, retries: 0, errorMessage: 'label printer offline' });
}

const inBatch = (batch: string) => ({ processDefinitionId: 'ops-order', variables: [{ name: 'batch', value: JSON.stringify(batch) }] });

async function finished(batchOperationKey: string | undefined) {
  return rest.client.getBatchOperation({ batchOperationKey: batchOperationKey as never }, until((op) => op.state === 'COMPLETED'));
}

describe('resolving incidents in bulk', () => {
  it('When the incidents of every instance a filter matches are resolved, then each job gets a retry, every incident is resolved and every item counts as completed', async () => {
    const keys = await ordersAtPack('printer', 3);
    await failPacking(3);
    await rest.client.searchIncidents({ filter: { processInstanceKey: { $in: keys } as never, state: 'ACTIVE' } }, until((r) => Number(r.page.totalItems) === 3));

    const created = await rest.client.resolveIncidentsBatchOperation({ filter: { ...inBatch('printer'), hasIncident: true } as never }, { consistency: eventually });
    const operation = await finished(created.batchOperationKey);

    expect(created.batchOperationType).toBe('RESOLVE_INCIDENT');
    expect(operation).toMatchObject({ batchOperationType: 'RESOLVE_INCIDENT', operationsTotalCount: 3, operationsCompletedCount: 3, operationsFailedCount: 0, errors: [] });
    expect(operation.endDate).toBeDefined();
    const open = await rest.client.searchIncidents({ filter: { processInstanceKey: { $in: keys } as never, state: 'ACTIVE' } }, until((r) => Number(r.page.totalItems) === 0));
    expect(open.items).toEqual([]);
    const { jobs } = await rest.client.activateJobs({ type: 'ops-pack', worker: 'rest-test', timeout: 60_000, maxJobsToActivate: 10, requestTimeout: 5_000 });
    expect(jobs.map((job) => job.processInstanceKey).sort()).toEqual([...keys].sort());
    for (const job of jobs) await rest.client.completeJob({ jobKey: job.jobKey });
  });

  it('When no instance the filter matches has an incident, then the operation completes at once with no items', async () => {
    const created = await rest.client.resolveIncidentsBatchOperation({ filter: inBatch('nobody') as never }, { consistency: eventually });

    expect(await finished(created.batchOperationKey)).toMatchObject({ operationsTotalCount: 0, operationsCompletedCount: 0, operationsFailedCount: 0 });
  });
});

describe('cancelling in bulk', () => {
  it('When every active instance a filter matches is cancelled, then exactly those end terminated, the others run on, and each item is listed', async () => {
    const [first, second, spared] = await ordersAtPack('recall', 3);

    const created = await rest.client.cancelProcessInstancesBatchOperation({ filter: { processInstanceKey: { $in: [first, second] } } as never }, { consistency: eventually });
    const operation = await finished(created.batchOperationKey);

    expect(operation).toMatchObject({ batchOperationType: 'CANCEL_PROCESS_INSTANCE', operationsTotalCount: 2, operationsCompletedCount: 2, operationsFailedCount: 0 });
    const states = await rest.client.searchProcessInstances(
      { filter: { processInstanceKey: { $in: [first!, second!, spared!] } as never }, sort: [{ field: 'processInstanceKey' }] },
      until((r) => r.items.filter((i) => i.state === 'TERMINATED').length === 2),
    );
    expect(Object.fromEntries(states.items.map((i) => [i.processInstanceKey, i.state]))).toEqual({ [first!]: 'TERMINATED', [second!]: 'TERMINATED', [spared!]: 'ACTIVE' });
    const items = await rest.client.searchBatchOperationItems({ filter: { batchOperationKey: created.batchOperationKey as never } }, { consistency: eventually });
    expect((items.items ?? []).map((item) => [item.itemKey, item.processInstanceKey, item.state]).sort()).toEqual([[first, first, 'COMPLETED'], [second, second, 'COMPLETED']].sort());
  });

  it('When the filter names a state, then it is ignored: the active instances it matches are cancelled, the ended ones are no items', async () => {
    const [done, running] = await ordersAtPack('mixed', 2);
    await rest.client.cancelProcessInstance({ processInstanceKey: done! as never });
    await rest.client.searchProcessInstances({ filter: { processInstanceKey: done! as never, state: 'TERMINATED' } }, until((r) => Number(r.page.totalItems) === 1));

    const created = await rest.client.cancelProcessInstancesBatchOperation({ filter: { ...inBatch('mixed'), state: 'TERMINATED' } as never }, { consistency: eventually });

    expect(await finished(created.batchOperationKey)).toMatchObject({ operationsTotalCount: 1, operationsCompletedCount: 1, operationsFailedCount: 0 });
    const items = await rest.client.searchBatchOperationItems({ filter: { batchOperationKey: created.batchOperationKey as never } }, { consistency: eventually });
    expect((items.items ?? []).map((item) => item.itemKey)).toEqual([running]);
  });
});

describe('refusals', () => {
  it('When the body has no filter, then it is refused 400 naming the field', async () => {
    const response = await restCall(rest.server, '/v2/process-instances/cancellation', { body: {}, authorization: `Bearer ${OPS_TOKEN}` });

    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(JSON.stringify(await response.json())).toContain('filter');
  });

  it('When the read-only token asks for a batch operation, then it is refused 403 and nothing is cancelled', async () => {
    const [running] = await ordersAtPack('read-only', 1);

    const response = await restCall(rest.server, '/v2/process-instances/cancellation', { body: { filter: inBatch('read-only') }, authorization: `Bearer ${READ_TOKEN}` });

    expect(response.status).toBe(403);
    expect((await rest.client.getProcessInstance({ processInstanceKey: running! as never }, { consistency: eventually })).state).toBe('ACTIVE');
  });

  it('When an unknown batch operation is asked for, then it is 404', async () => {
    const response = await restCall(rest.server, '/v2/batch-operations/2251799813685249', { method: 'GET', authorization: `Bearer ${OPS_TOKEN}` });

    expect(response.status).toBe(404);
  });
});
