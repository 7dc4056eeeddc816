/**
 * The engine through `@camunda8/sdk`'s gRPC client, over real gRPC on loopback: what a Node user
 * of Camunda 8 sees when pointing the SDK at the embedded engine instead of a Zeebe cluster.
 */
import { readFileSync } from 'node:fs';
import { status } from '@grpc/grpc-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValueType } from '../../../infra/engine/core/records.js';
import type { EngineServer } from '../../../infra/engine/engine-server.js';
import { JobIntent } from '../../../infra/engine/processing/appliers/job-appliers.js';
import {
  deferred,
  fixturePath,
  grpcCodeOf,
  sdkZeebeClient,
  startTestEngine,
  type ZeebeGrpcClient,
} from './client-test-support.js';

let server: EngineServer;
let zeebe: ZeebeGrpcClient;

beforeEach(async () => {
  server = await startTestEngine();
  zeebe = sdkZeebeClient(server);
});

afterEach(async () => {
  await zeebe.close();
  await server.close();
});

async function deploy(fixture: string) {
  return zeebe.deployResource({ processFilename: fixturePath(fixture) });
}

function activateWork(overrides: Partial<Parameters<ZeebeGrpcClient['activateJobs']>[0]>) {
  return zeebe.activateJobs({
    type: 'work',
    worker: 'test-worker',
    maxJobsToActivate: 10,
    timeout: 30_000,
    ...overrides,
  });
}

describe('topology', () => {
  it('When the topology is requested, then it shows one healthy broker leading partition 1', async () => {
    const topology = await zeebe.topology();

    expect(topology).toMatchObject({
      clusterSize: 1,
      partitionsCount: 1,
      replicationFactor: 1,
      gatewayVersion: '8.8.0',
      brokers: [
        {
          nodeId: 0,
          version: '8.8.0',
          partitions: [{ partitionId: 1, role: 'LEADER', health: 'HEALTHY' }],
        },
      ],
    });
  });
});

describe('deployment', () => {
  it('When a BPMN file is deployed, then the response names its process and version 1', async () => {
    const deployment = await deploy('one-task.bpmn');

    expect(deployment.key).toMatch(/^\d+$/);
    expect(deployment.deployments[0]?.process).toMatchObject({
      bpmnProcessId: 'one-task',
      version: 1,
      processDefinitionKey: expect.stringMatching(/^\d+$/),
    });
  });

  it('When a resource is not valid BPMN, then the deployment fails with INVALID_ARGUMENT', async () => {
    const broken = { name: 'broken.bpmn', process: Buffer.from('<bpmn:definitions') };

    expect(await grpcCodeOf(zeebe.deployResource(broken))).toBe(status.INVALID_ARGUMENT);
  });
});

describe('process instances', () => {
  beforeEach(() => deploy('one-task.bpmn'));

  it('When an instance is created by process id, then the response names the process and a new key', async () => {
    const instance = await zeebe.createProcessInstance({ bpmnProcessId: 'one-task', variables: {} });

    expect(instance).toMatchObject({ bpmnProcessId: 'one-task', version: 1 });
    expect(instance.processInstanceKey).toMatch(/^\d+$/);
  });

  it('When the process id is unknown, then creating an instance fails with NOT_FOUND', async () => {
    const creation = zeebe.createProcessInstance({ bpmnProcessId: 'no-such-process', variables: {} });

    expect(await grpcCodeOf(creation)).toBe(status.NOT_FOUND);
  });

  it.each([
    { document: '[1, 2]', problem: 'an array' },
    { document: '"paid"', problem: 'a string' },
    { document: '{"paid": ', problem: 'not JSON' },
  ])('When the variables set on an instance are $problem, then it fails with INVALID_ARGUMENT', async ({ document }) => {
    const { processInstanceKey } = await zeebe.createProcessInstance({
      bpmnProcessId: 'one-task',
      variables: {},
    });

    // The SDK passes a string through as the JSON document, as a client in another language might send it.
    const update = zeebe.setVariables({
      elementInstanceKey: processInstanceKey,
      variables: document as never,
      local: false,
    });

    expect(await grpcCodeOf(update)).toBe(status.INVALID_ARGUMENT);
  });

  it('When an instance is cancelled, then its job is gone and cancelling again fails with NOT_FOUND', async () => {
    const { processInstanceKey } = await zeebe.createProcessInstance({
      bpmnProcessId: 'one-task',
      variables: {},
    });

    await zeebe.cancelProcessInstance(processInstanceKey);

    expect(await activateWork({ requestTimeout: -1 })).toEqual([]);
    expect(await grpcCodeOf(zeebe.cancelProcessInstance(processInstanceKey))).toBe(status.NOT_FOUND);
  });

  it('When variables are set on the instance, then its job sees them', async () => {
    const { processInstanceKey } = await zeebe.createProcessInstance({
      bpmnProcessId: 'one-task',
      variables: { orderId: 'order-1' },
    });

    await zeebe.setVariables({
      elementInstanceKey: processInstanceKey,
      variables: { paid: true },
      local: false,
    });

    const [job] = await activateWork({ requestTimeout: -1 });
    expect({ ...job?.variables }).toEqual({ orderId: 'order-1', paid: true });
  });
});

describe('jobs', () => {
  beforeEach(() => deploy('one-task.bpmn'));

  it('When a polling worker completes the job, then the instance completes with its variables', async () => {
    zeebe.createWorker({
      taskType: 'work',
      taskHandler: (job) => job.complete({ shipped: true }),
    });

    const result = await zeebe.createProcessInstanceWithResult({
      bpmnProcessId: 'one-task',
      variables: { orderId: 'order-1' },
      requestTimeout: 20_000,
    });

    expect({ ...result.variables }).toEqual({ orderId: 'order-1', shipped: true });
  });

  it('When a streaming worker is open, then a new job is pushed to it with headers and variables', async () => {
    await deploy('task-with-headers.bpmn');
    const pushed = deferred<{ headers: unknown; variables: unknown }>();
    await zeebe.streamJobs({
      type: 'pack',
      worker: 'streaming-worker',
      timeout: 30_000,
      tenantIds: [],
      pollInterval: 0,
      taskHandler: (job) => {
        pushed.resolve({ headers: { ...job.customHeaders }, variables: { ...job.variables } });
        return job.complete({ streamed: true });
      },
    });

    const result = await zeebe.createProcessInstanceWithResult({
      bpmnProcessId: 'task-with-headers',
      variables: { orderId: 'order-2' },
      requestTimeout: 20_000,
    });

    expect(await pushed.promise).toEqual({
      headers: { purpose: 'testing' },
      variables: { orderId: 'order-2' },
    });
    expect({ ...result.variables }).toMatchObject({ streamed: true });
  });

  it('When two streams are open for a type, then new jobs are spread over both', async () => {
    const received = { first: 0, second: 0 };
    let nextJob = deferred<void>();
    const openStream = (name: keyof typeof received) =>
      zeebe.streamJobs({
        type: 'work',
        worker: name,
        timeout: 30_000,
        tenantIds: [],
        pollInterval: 0,
        taskHandler: (job) => {
          received[name] += 1;
          nextJob.resolve();
          return job.complete();
        },
      });
    await openStream('first');
    await openStream('second');

    // The SDK resolves before the engine has registered a stream, so jobs go out one at a time until
    // both streams had one (round robin needs two once both are open); 20 without that is a failure.
    for (let i = 0; i < 20 && (received.first === 0 || received.second === 0); i += 1) {
      nextJob = deferred<void>();
      await zeebe.createProcessInstance({ bpmnProcessId: 'one-task', variables: {} });
      await nextJob.promise;
    }

    expect(received.first).toBeGreaterThan(0);
    expect(received.second).toBeGreaterThan(0);
  });

  it('When a streaming worker is open, then a new job is activated in the batch that created it, as Zeebe pushes it', async () => {
    let pushed = deferred<string>();
    await zeebe.streamJobs({
      type: 'work',
      worker: 'streaming-worker',
      timeout: 30_000,
      tenantIds: [],
      pollInterval: 0,
      taskHandler: (job) => {
        pushed.resolve(job.key);
        return job.complete();
      },
    });
    // The SDK resolves before the engine has registered the stream: the first job may reach it
    // through the stream's catch-up pass; once one arrived, the stream is open.
    await zeebe.createProcessInstance({ bpmnProcessId: 'one-task', variables: {} });
    await pushed.promise;
    const batches: { created: string[]; activated: string[]; batchesActivated: number }[] = [];
    server.engine.onRecords((records) => {
      const keysOf = (valueType: ValueType, intent: string) =>
        records.filter((r) => r.valueType === valueType && r.intent === intent).map((r) => String(r.key));
      batches.push({
        created: keysOf(ValueType.JOB, JobIntent.CREATED),
        activated: records.filter((r) => r.valueType === ValueType.JOB_BATCH && r.intent === 'ACTIVATED').flatMap((r) => (r.value.jobKeys as number[]).map(String)),
        batchesActivated: keysOf(ValueType.JOB_BATCH, 'ACTIVATED').length,
      });
    });

    pushed = deferred<string>();
    await zeebe.createProcessInstance({ bpmnProcessId: 'one-task', variables: {} });
    const jobKey = await pushed.promise;

    const creating = batches.find((b) => b.created.includes(jobKey));
    expect(creating).toEqual({ created: [jobKey], activated: [jobKey], batchesActivated: 1 });
  });

  it('When jobs are requested before any exist, then the long poll answers as soon as one is created', async () => {
    const polling = activateWork({ requestTimeout: 20_000 });

    await zeebe.createProcessInstance({ bpmnProcessId: 'one-task', variables: {} });

    const jobs = await polling;
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ type: 'work', elementId: 'work', retries: 3 });
  });

  it('When no job appears within the request timeout, then the long poll answers with no jobs', async () => {
    const startedAt = Date.now();

    const jobs = await activateWork({ requestTimeout: 300 });

    expect(jobs).toEqual([]);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(290);
  });

  it('When a job fails with retries left, then it can be activated again with those retries', async () => {
    await zeebe.createProcessInstance({ bpmnProcessId: 'one-task', variables: {} });
    const [job] = await activateWork({ requestTimeout: -1 });

    await zeebe.failJob({ jobKey: job!.key, retries: 2, errorMessage: 'printer jammed', retryBackOff: 0 });

    const [again] = await activateWork({ requestTimeout: 5_000 });
    expect(again).toMatchObject({ key: job!.key, retries: 2 });
  });

  it('When the job key is unknown, then completing it fails with NOT_FOUND', async () => {
    const completion = zeebe.completeJob({ jobKey: '2251799813685249', variables: {} });

    expect(await grpcCodeOf(completion)).toBe(status.NOT_FOUND);
  });

  it('When retries are set to 0, then updating them fails with INVALID_ARGUMENT', async () => {
    await zeebe.createProcessInstance({ bpmnProcessId: 'one-task', variables: {} });
    const [job] = await activateWork({ requestTimeout: -1 });

    const update = zeebe.updateJobRetries({ jobKey: job!.key, retries: 0 });

    expect(await grpcCodeOf(update)).toBe(status.INVALID_ARGUMENT);
  });

  it.each([
    { field: 'a blank type', request: { type: ' ' } },
    { field: 'a blank worker', request: { worker: '' } },
    { field: 'a timeout below 1', request: { timeout: 0 } },
    { field: 'maxJobsToActivate below 1', request: { maxJobsToActivate: 0 } },
  ])('When ActivateJobs has $field, then it fails with INVALID_ARGUMENT', async ({ request }) => {
    expect(await grpcCodeOf(activateWork({ requestTimeout: -1, ...request }))).toBe(
      status.INVALID_ARGUMENT,
    );
  });

});

describe('BPMN errors', () => {
  it('When a worker throws an error the boundary event catches, then the instance completes', async () => {
    await deploy('task-with-error-boundary.bpmn');
    zeebe.createWorker({
      taskType: 'charge',
      taskHandler: (job) =>
        job.error({ errorCode: 'CARD_DECLINED', errorMessage: 'Card declined', variables: {} }),
    });

    const result = await zeebe.createProcessInstanceWithResult({
      bpmnProcessId: 'task-with-error-boundary',
      variables: { orderId: 'order-3' },
      requestTimeout: 20_000,
    });

    expect(result.bpmnProcessId).toBe('task-with-error-boundary');
  });
});

describe('BPMN errors no catch event takes', () => {
  /** The message of the first incident created, as Operate shows it. */
  function firstIncidentMessage(): Promise<string> {
    const incident = deferred<string>();
    server.engine.onRecords((records) => {
      const created = records.find((r) => r.valueType === ValueType.INCIDENT && r.intent === 'CREATED');
      if (created) incident.resolve(created.value.errorMessage as string);
    });
    return incident.promise;
  }

  it.each([
    {
      when: 'an error code no error event of the scope catches',
      fixture: 'task-with-error-boundary.bpmn', taskType: 'charge', errorCode: 'CARD_EXPIRED', errorMessage: 'Card expired',
      incident: "Expected to throw an error event with the code 'CARD_EXPIRED' with message 'Card expired', but it was not caught. Available error events are [CARD_DECLINED]",
    },
    {
      when: 'an error without a message where no error event is',
      fixture: 'one-task.bpmn', taskType: 'work', errorCode: 'CARD_EXPIRED', errorMessage: '',
      incident: "Expected to throw an error event with the code 'CARD_EXPIRED', but it was not caught. No error events are available in the scope.",
    },
  ])('When a worker throws $when, then the incident says so in Zeebe\'s words', async ({ fixture, taskType, errorCode, errorMessage, incident }) => {
    await deploy(fixture);
    const message = firstIncidentMessage();
    zeebe.createWorker({ taskType, taskHandler: (job) => job.error({ errorCode, errorMessage, variables: {} }) });

    await zeebe.createProcessInstance({ bpmnProcessId: fixture.replace('.bpmn', ''), variables: {} });

    expect(await message).toBe(incident);
  });
});

describe('messages', () => {
  beforeEach(() => deploy('message-catch.bpmn'));

  it('When a message is published for a waiting instance, then the instance completes with its variables', async () => {
    const completion = zeebe.createProcessInstanceWithResult({
      bpmnProcessId: 'message-catch',
      variables: { orderId: 'order-4' },
      requestTimeout: 20_000,
    });

    // The time to live keeps the message buffered should it arrive before the subscription opens.
    const published = await zeebe.publishMessage({
      name: 'payment-received',
      correlationKey: 'order-4',
      timeToLive: 60_000,
      variables: { amount: 42 },
    });

    expect(published.key).toMatch(/^\d+$/);
    expect({ ...(await completion).variables }).toEqual({ orderId: 'order-4', amount: 42 });
  });

  it('When a message id is published again while the first is buffered, then it fails with ALREADY_EXISTS', async () => {
    const message = {
      name: 'payment-received',
      correlationKey: 'order-5',
      messageId: 'payment-5',
      timeToLive: 60_000,
      variables: {},
    };
    await zeebe.publishMessage(message);

    expect(await grpcCodeOf(zeebe.publishMessage(message))).toBe(status.ALREADY_EXISTS);
  });
});

describe('process instance modification', () => {
  beforeEach(() => deploy('one-task.bpmn'));

  it('When the token at a task is moved back onto the task with a variable, then the old job is gone and the new one carries the variable', async () => {
    const { processInstanceKey } = await zeebe.createProcessInstance({ bpmnProcessId: 'one-task', variables: {} });
    const [job] = await activateWork({ maxJobsToActivate: 1, requestTimeout: 5_000 });

    await zeebe.modifyProcessInstance({
      processInstanceKey,
      terminateInstructions: [{ elementInstanceKey: job!.elementInstanceKey }],
      activateInstructions: [{ elementId: 'work', ancestorElementInstanceKey: '-1', variableInstructions: [{ scopeId: '', variables: { retried: true } }] }],
    });

    expect(await grpcCodeOf(zeebe.completeJob({ jobKey: job!.key, variables: {} }))).toBe(status.NOT_FOUND);
    const [again] = await activateWork({ maxJobsToActivate: 1, requestTimeout: 5_000 });
    expect(again).toMatchObject({ processInstanceKey, variables: { retried: true } });
    expect(again!.elementInstanceKey).not.toBe(job!.elementInstanceKey);
  });

  it('When the element to activate is not in the process, then the call fails with INVALID_ARGUMENT naming it', async () => {
    const { processInstanceKey } = await zeebe.createProcessInstance({ bpmnProcessId: 'one-task', variables: {} });

    const modification = zeebe.modifyProcessInstance({ processInstanceKey, activateInstructions: [{ elementId: 'nowhere', ancestorElementInstanceKey: '-1', variableInstructions: [] }] });

    await expect(modification).rejects.toThrow(/could not be found: 'nowhere'/);
    expect(await grpcCodeOf(modification)).toBe(status.INVALID_ARGUMENT);
  });
});

describe('signals and unsupported requests', () => {
  it('When a signal is broadcast, then the response carries its key', async () => {
    const signal = await zeebe.broadcastSignal({ signalName: 'stock-replenished', variables: {} });

    expect(signal.key).toMatch(/^\d+$/);
  });

  it('When a process instance migration is requested, then the call fails with UNIMPLEMENTED', async () => {
    const migration = zeebe.migrateProcessInstance({
      processInstanceKey: '2251799813685249',
      migrationPlan: { targetProcessDefinitionKey: '2251799813685250', mappingInstructions: [] },
    });

    expect(await grpcCodeOf(migration)).toBe(status.UNIMPLEMENTED);
  });
});

describe('bearer token', () => {
  const token = 'orderflow-test-token';

  beforeEach(async () => {
    await zeebe.close();
    await server.close();
    server = await startTestEngine({ token });
    zeebe = sdkZeebeClient(server);
  });

  it('When the gateway requires a token and the client sends none, then calls fail with UNAUTHENTICATED', async () => {
    expect(await grpcCodeOf(zeebe.topology())).toBe(status.UNAUTHENTICATED);
  });

  it('When the client sends the configured bearer token, then calls succeed', async () => {
    const authorized = sdkZeebeClient(server, {
      CAMUNDA_AUTH_STRATEGY: 'BEARER',
      CAMUNDA_OAUTH_TOKEN: token,
    });
    try {
      const bpmn = readFileSync(fixturePath('one-task.bpmn'));
      const deployment = await authorized.deployResource({ name: 'one-task.bpmn', process: bpmn });
      expect(deployment.deployments).toHaveLength(1);
    } finally {
      await authorized.close();
    }
  });
});
