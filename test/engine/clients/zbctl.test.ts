/**
 * The engine through `zbctl`, Zeebe's official Go command-line client, run as the binary the `zbctl`
 * npm package ships: a second protocol implementation besides the Node ones.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { EngineServer } from '../../../infra/engine/engine-server.js';
import { fixturePath, startTestEngine, zbctlBinary } from './client-test-support.js';

const run = promisify(execFile);

let server: EngineServer;

beforeEach(async () => {
  server = await startTestEngine();
});

afterEach(async () => {
  await server.close();
});

/** Runs zbctl against the test server; rejects with its stderr when it exits non-zero. */
async function zbctl(...args: string[]): Promise<string> {
  const connection = ['--insecure', '--address', server.grpcAddress, '--requestTimeout', '20s'];
  const { stdout } = await run(zbctlBinary, [...args, ...connection], { timeout: 30_000 });
  return stdout;
}

async function zbctlJson<T>(...args: string[]): Promise<T> {
  return JSON.parse(await zbctl(...args)) as T;
}

interface JobsOutput {
  jobs: { key: string; type: string; variables: string; customHeaders: string }[];
}

it('When the status is requested, then it shows one healthy leader of partition 1', async () => {
  const output = await zbctl('status');

  expect(output).toContain('Cluster size: 1');
  expect(output).toContain('Gateway version: 8.8.0');
  expect(output).toContain('Partition 1 : Leader, Healthy');
});

it('When a BPMN file is deployed, then the output names its process and version 1', async () => {
  const deployment = await zbctlJson<{ processes: { bpmnProcessId: string; version: number }[] }>(
    'deploy',
    fixturePath('one-task.bpmn'),
  );

  expect(deployment.processes).toEqual([
    expect.objectContaining({ bpmnProcessId: 'one-task', version: 1 }),
  ]);
});

it('When an instance is created with variables, then its activated job carries them', async () => {
  await zbctl('deploy', fixturePath('one-task.bpmn'));

  const instance = await zbctlJson<{ processInstanceKey: string }>(
    'create', 'instance', 'one-task', '--variables', '{"orderId":"order-7"}',
  );
  const { jobs } = await zbctlJson<JobsOutput>('activate', 'jobs', 'work', '--maxJobsToActivate', '1');

  expect(instance.processInstanceKey).toMatch(/^\d+$/);
  expect(jobs).toHaveLength(1);
  expect(JSON.parse(jobs[0]!.variables)).toEqual({ orderId: 'order-7' });
});

it('When the activated job is completed, then the instance completes with the variables', async () => {
  await zbctl('deploy', fixturePath('one-task.bpmn'));
  const completion = zbctlJson<{ variables: string }>(
    'create', 'instance', 'one-task', '--withResult', '--variables', '{"orderId":"order-8"}',
  );

  // Long polling (up to zbctl's request timeout) waits for the job of the instance above.
  const { jobs } = await zbctlJson<JobsOutput>('activate', 'jobs', 'work');
  await zbctl('complete', 'job', jobs[0]!.key, '--variables', '{"packed":true}');

  expect(JSON.parse((await completion).variables)).toEqual({ orderId: 'order-8', packed: true });
});

it('When a message is published, then the waiting instance completes with its variables', async () => {
  await zbctl('deploy', fixturePath('message-catch.bpmn'));
  const completion = zbctlJson<{ variables: string }>(
    'create', 'instance', 'message-catch', '--withResult', '--variables', '{"orderId":"order-9"}',
  );

  const published = await zbctlJson<{ key: string }>(
    'publish', 'message', 'payment-received',
    '--correlationKey', 'order-9', '--ttl', '1m', '--variables', '{"amount":9}',
  );

  expect(published.key).toMatch(/^\d+$/);
  expect(JSON.parse((await completion).variables)).toEqual({ orderId: 'order-9', amount: 9 });
});

it('When an unknown job is completed, then zbctl fails and reports NotFound', async () => {
  await expect(zbctl('complete', 'job', '2251799813685249')).rejects.toMatchObject({
    stderr: expect.stringContaining('NotFound'),
  });
});
