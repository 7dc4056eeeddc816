/**
 * Setting an element instance's variables over REST as Camunda 8.8 does
 * (`PUT /v2/element-instances/{elementInstanceKey}/variables`): through both official clients,
 * into the scope's own variables with `local`, and refused with problem+json for a bad body, an
 * element instance that is not (or no longer) there, and the read-only token.
 */
import { ProcessDefinitionId } from '@camunda8/orchestration-cluster-api';
import { describe, expect, it } from 'vitest';
import { OPS_TOKEN, opsOrderEngineForFile, READ_TOKEN, restCall, sdkRestClient, until } from './rest-test-support.js';

const rest = opsOrderEngineForFile();

/** An order waiting at its pack task: the process instance key and the task's element instance key. */
async function orderAtPack(orderId: string) {
  const { processInstanceKey } = await rest.client.createProcessInstance({ processDefinitionId: ProcessDefinitionId.assumeExists('ops-order'), variables: { orderId } });
  const { jobs } = await rest.client.activateJobs({ type: 'ops-pack', worker: 'rest-test', timeout: 60_000, maxJobsToActivate: 1, requestTimeout: 5_000 });
  return { processInstanceKey, packKey: jobs[0]!.elementInstanceKey, jobKey: jobs[0]!.jobKey };
}

/** The instance's variables named `name`, as `[scopeKey, value]`, once `count` of them are found with `value` among them. */
async function variablesNamed(processInstanceKey: string, name: string, count: number, value: string) {
  const found = await rest.client.searchVariables(
    { filter: { processInstanceKey: processInstanceKey as never, name }, sort: [{ field: 'scopeKey' }] },
    until((r) => (r.items ?? []).length === count && (r.items ?? []).some((v) => v.value === value)),
  );
  return (found.items ?? []).map((v) => [v.scopeKey, v.value]);
}

function putVariables(elementInstanceKey: string, body: unknown, token = OPS_TOKEN) {
  return restCall(rest.server, `/v2/element-instances/${elementInstanceKey}/variables`, { method: 'PUT', body, authorization: `Bearer ${token}` });
}

describe('setting variables', () => {
  it('When the typed client sets a variable on the process instance, then it answers 204 and the search shows the new value', async () => {
    const { processInstanceKey } = await orderAtPack('o-typed');

    const response = await putVariables(processInstanceKey, { variables: { orderId: 'o-fixed', attempt: 2 } });
    await rest.client.createElementInstanceVariables({ elementInstanceKey: processInstanceKey as never, variables: { note: 'checked by ops' }, operationReference: 7 });

    expect(response.status).toBe(204);
    expect(await variablesNamed(processInstanceKey, 'orderId', 1, '"o-fixed"')).toEqual([[processInstanceKey, '"o-fixed"']]);
    expect(await variablesNamed(processInstanceKey, 'note', 1, '"checked by ops"')).toEqual([[processInstanceKey, '"checked by ops"']]);
  });

  it('When a variable is set locally on a task, then the task has its own and the process instance keeps its value', async () => {
    const { processInstanceKey, packKey } = await orderAtPack('o-local');

    await rest.client.createElementInstanceVariables({ elementInstanceKey: packKey, variables: { orderId: 'o-for-pack' }, local: true });

    expect(await variablesNamed(processInstanceKey, 'orderId', 2, '"o-for-pack"')).toEqual([
      [processInstanceKey, '"o-local"'],
      [packKey, '"o-for-pack"'],
    ]);
  });

  it('When a variable is set on a task without local, then it updates the process instance variable of that name', async () => {
    const { processInstanceKey, packKey } = await orderAtPack('o-propagated');

    await sdkRestClient(rest.server).updateElementInstanceVariables({ elementInstanceKey: packKey, variables: { orderId: 'o-from-pack' } });

    expect(await variablesNamed(processInstanceKey, 'orderId', 1, '"o-from-pack"')).toEqual([[processInstanceKey, '"o-from-pack"']]);
  });
});

describe('refusals', () => {
  it.each([
    [{}, 'No variables provided.'],
    [{ variables: {} }, 'No variables provided.'],
    [{ variables: null }, 'No variables provided.'],
    [{ variables: '{"orderId":"o-1"}' }, 'variables: '],
    [{ variables: { orderId: 'o-1' }, local: 'yes' }, 'local: '],
    [{ variables: { orderId: 'o-1' }, operationReference: 0 }, 'operationReference: '],
    [{ variables: { orderId: 'o-1' }, scope: 'local' }, 'scope: Expected no such field, but it was sent'],
  ])('When the body is %j, then 400 INVALID_ARGUMENT says %j', async (body, detail) => {
    const { processInstanceKey } = await orderAtPack('o-bad-body');

    const response = await putVariables(processInstanceKey, body);

    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({ title: 'INVALID_ARGUMENT', status: 400, detail: expect.stringContaining(detail), instance: `/v2/element-instances/${processInstanceKey}/variables` });
  });

  it('When the element instance is unknown, then 404 gives the engine rejection in Zeebe words', async () => {
    const response = await putVariables('2251799813685000', { variables: { orderId: 'o-1' } });

    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({
      title: 'NOT_FOUND',
      detail: "Command 'UPDATE' rejected with code 'NOT_FOUND': Expected to update variables for element with key '2251799813685000', but no such element was found",
    });
  });

  it('When the element instance has ended, then the typed client sees 404 NOT_FOUND', async () => {
    const { packKey, jobKey } = await orderAtPack('o-ended');
    await rest.client.completeJob({ jobKey });

    const failure = await rest.client.createElementInstanceVariables({ elementInstanceKey: packKey, variables: { orderId: 'o-late' } }).then(() => undefined, (error: unknown) => error);

    expect(failure).toMatchObject({ status: 404, title: 'NOT_FOUND', detail: expect.stringContaining(`Expected to update variables for element with key '${packKey}', but no such element was found`) });
  });

  it('When the read-only token sets a variable, then it is refused 403', async () => {
    const { processInstanceKey } = await orderAtPack('o-read-only');

    const response = await putVariables(processInstanceKey, { variables: { orderId: 'o-2' } }, READ_TOKEN);

    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ title: 'FORBIDDEN' });
  });
});
