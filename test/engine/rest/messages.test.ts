/**
 * Messages over REST: publication buffers a message for its time to live, correlation delivers it
 * now or answers 404, as Camunda 8.8's `/v2/messages/publication` and `/v2/messages/correlation`.
 */
import { ProcessDefinitionId, type CamundaClient } from '@camunda8/orchestration-cluster-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EngineServer } from '../../../infra/engine/engine-server.js';
import { eventually, fixtureFile, restClient, startRestEngine } from './rest-test-support.js';
import { fileURLToPath } from 'node:url';

const messageCatch = fileURLToPath(new URL('../fixtures/message-catch.bpmn', import.meta.url));
let server: EngineServer;
let client: CamundaClient;

beforeEach(async () => {
  server = await startRestEngine();
  client = restClient(server);
  await client.createDeployment({ resources: [await fixtureFile(messageCatch)] });
});

afterEach(async () => {
  await server.close();
});

async function waitingInstance(orderId: string) {
  const created = await client.createProcessInstance({ processDefinitionId: ProcessDefinitionId.assumeExists('message-catch'), variables: { orderId } });
  return created.processInstanceKey;
}

function completed(processInstanceKey: string) {
  return client.getProcessInstance({ processInstanceKey: processInstanceKey as never }, { consistency: { ...eventually, predicate: (i) => i.state === 'COMPLETED' } });
}

describe('correlation', () => {
  it('When a message is correlated to a waiting instance, then the answer names the instance and it completes', async () => {
    const processInstanceKey = await waitingInstance('o-1');

    const result = await client.correlateMessage({ name: 'payment-received', correlationKey: 'o-1', variables: { paid: true } });

    expect(result).toMatchObject({ processInstanceKey, tenantId: '<default>' });
    expect((await completed(processInstanceKey)).state).toBe('COMPLETED');
  });

  it('When nothing waits for the message, then correlation answers 404', async () => {
    const failure = await client.correlateMessage({ name: 'payment-received', correlationKey: 'nobody' }).then(() => undefined, (error: unknown) => error);

    expect(failure).toMatchObject({ status: 404, title: 'NOT_FOUND' });
  });
});

describe('publication', () => {
  it('When a message is published before the instance waits, then it is buffered and correlates later', async () => {
    const published = await client.publishMessage({ name: 'payment-received', correlationKey: 'o-2', timeToLive: 60_000, messageId: 'pay-o-2' });
    expect(published.messageKey).toMatch(/^\d+$/);

    const processInstanceKey = await waitingInstance('o-2');

    expect((await completed(processInstanceKey)).state).toBe('COMPLETED');
  });

  it('When a message id is published twice within its time to live, then the second is refused 409', async () => {
    await client.publishMessage({ name: 'payment-received', correlationKey: 'o-3', timeToLive: 60_000, messageId: 'pay-o-3' });

    const failure = await client
      .publishMessage({ name: 'payment-received', correlationKey: 'o-3', timeToLive: 60_000, messageId: 'pay-o-3' })
      .then(() => undefined, (error: unknown) => error);

    expect(failure).toMatchObject({ status: 409, title: 'ALREADY_EXISTS' });
  });
});
