/**
 * The engine through `zeebe-node`'s ZBClient, the older Node client many Camunda 8 projects still
 * run, over real gRPC on loopback.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ZBClient } from 'zeebe-node';
import type { EngineServer } from '../../../infra/engine/engine-server.js';
import { fixturePath, startTestEngine } from './client-test-support.js';

let server: EngineServer;
let zbc: ZBClient;

beforeEach(async () => {
  server = await startTestEngine();
  zbc = new ZBClient(server.grpcAddress, { useTLS: false, loglevel: 'NONE', retry: false });
});

afterEach(async () => {
  await zbc.close();
  await server.close();
});

it('When a process is deployed, then the response names it with version 1', async () => {
  const deployment = await zbc.deployResource({ processFilename: fixturePath('one-task.bpmn') });

  expect(deployment.deployments[0]?.process).toMatchObject({ bpmnProcessId: 'one-task', version: 1 });
});

it('When a process is deployed through the deprecated DeployProcess, then the response names it', async () => {
  const deployment = await zbc.deployProcess(fixturePath('one-task.bpmn'));

  expect(deployment.processes).toEqual([
    expect.objectContaining({ bpmnProcessId: 'one-task', version: 1 }),
  ]);
});

it('When an instance is created, then the response carries its key', async () => {
  await zbc.deployResource({ processFilename: fixturePath('one-task.bpmn') });

  const instance = await zbc.createProcessInstance({ bpmnProcessId: 'one-task', variables: {} });

  expect(instance).toMatchObject({ bpmnProcessId: 'one-task', version: 1 });
  expect(instance.processInstanceKey).toMatch(/^\d+$/);
});

it('When a worker completes the job, then the instance completes with the worker variables', async () => {
  await zbc.deployResource({ processFilename: fixturePath('one-task.bpmn') });
  zbc.createWorker({
    taskType: 'work',
    taskHandler: (job) => job.complete({ handledBy: 'zeebe-node' }),
  });

  const result = await zbc.createProcessInstanceWithResult({
    bpmnProcessId: 'one-task',
    variables: { orderId: 'order-6' },
    requestTimeout: 20_000,
  });

  expect(result.variables).toEqual({ orderId: 'order-6', handledBy: 'zeebe-node' });
});
