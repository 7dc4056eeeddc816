/**
 * The search projection across restarts on the same data directory: what it wrote is still
 * there, what the engine logged while no projection ran is caught up from the record log, and a
 * lost projection file is rebuilt from it.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ProcessDefinitionId } from '@camunda8/orchestration-cluster-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EngineServer } from '../../../infra/engine/engine-server.js';
import { deployOpsOrder, eventually, restClient, startRestEngine } from './rest-test-support.js';

let dataDir: string;
let server: EngineServer | undefined;

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'orderflow-rest-'));
});

afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(dataDir, { recursive: true, force: true });
});

/** Runs an order to its end through REST and returns its key. */
async function completeOneOrder(engine: EngineServer): Promise<string> {
  const client = restClient(engine);
  await deployOpsOrder(client);
  const created = await client.createProcessInstance({ processDefinitionId: ProcessDefinitionId.assumeExists('ops-order'), variables: { orderId: 'o-1' } });
  const { jobs } = await client.activateJobs({ type: 'ops-pack', worker: 'restart-test', timeout: 60_000, maxJobsToActivate: 1, requestTimeout: 5_000 });
  await client.completeJob({ jobKey: jobs[0]!.jobKey });
  await client.getProcessInstance({ processInstanceKey: created.processInstanceKey }, { consistency: { ...eventually, predicate: (i) => i.state === 'COMPLETED' } });
  return created.processInstanceKey;
}

/** Right after a start, without waiting: the projection caught up while opening. */
async function searchNow(engine: EngineServer, processInstanceKey: string) {
  const found = await restClient(engine).searchProcessInstances({ filter: { processInstanceKey: processInstanceKey as never } }, { consistency: { waitUpToMs: 0 } });
  return found.items;
}

describe('search projection restarts', () => {
  it('When the engine restarts on the same data directory, then completed instances are still found', async () => {
    server = await startRestEngine({ dataDir });
    const processInstanceKey = await completeOneOrder(server);
    await server.close();

    server = await startRestEngine({ dataDir });

    expect(await searchNow(server, processInstanceKey)).toEqual([expect.objectContaining({ state: 'COMPLETED', processDefinitionName: 'Ops order' })]);
  });

  it('When the engine ran without the REST API, then the projection catches up from the record log at the next start', async () => {
    server = await startRestEngine({ dataDir });
    await deployOpsOrder(restClient(server));
    await server.close();
    server = await startRestEngine({ dataDir, opsToken: undefined });
    const created = await server.engine.createProcessInstance({ bpmnProcessId: 'ops-order', variables: { orderId: 'o-offline' } });
    await server.close();

    server = await startRestEngine({ dataDir });

    expect(await searchNow(server, created.processInstanceKey)).toEqual([expect.objectContaining({ state: 'ACTIVE' })]);
  });

  it('When the projection file is lost, then it is rebuilt from the record log', async () => {
    server = await startRestEngine({ dataDir });
    const processInstanceKey = await completeOneOrder(server);
    await server.close();
    await stat(path.join(dataDir, 'search.sqlite'));
    for (const suffix of ['', '-wal', '-shm']) await rm(path.join(dataDir, `search.sqlite${suffix}`), { force: true });

    server = await startRestEngine({ dataDir });

    expect(await searchNow(server, processInstanceKey)).toEqual([expect.objectContaining({ state: 'COMPLETED' })]);
  });
});
